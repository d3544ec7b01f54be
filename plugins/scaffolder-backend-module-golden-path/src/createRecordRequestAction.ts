import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * Records the service request with the platform-metrics plugin as a CDEvent.
 * This starts the lead time from request to first production deployment.
 * The task id is the event id, and the metrics API ignores duplicate ids, so
 * a retried task never counts twice.
 */
export function createRecordRequestAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  const { auth, discovery } = options;
  return createTemplateAction({
    id: 'golden-path:record-request',
    description:
      'Records the service request in the platform metrics (lead time starts here)',
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z => z.string(),
        team: z => z.string(),
        template: z => z.string(),
        templateVersion: z => z.string(),
      },
      output: {
        eventId: z => z.string(),
      },
    },
    async handler(ctx) {
      const { entityRef, team, template, templateVersion } = ctx.input;
      const source = `/backstage/scaffolder/${template}`;
      const event = {
        context: {
          version: '0.4.1',
          id: ctx.task.id,
          source,
          type: 'dev.cdeventsx.servicerequest.created.0.1.0',
          timestamp: new Date().toISOString(),
        },
        subject: {
          id: entityRef,
          source,
          type: 'servicerequest',
          content: { entityRef, team, template, templateVersion },
        },
      };
      ctx.output('eventId', ctx.task.id);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would record the request for ${entityRef} by ${team} from ${template}@${templateVersion}`,
        );
        return;
      }

      await ctx.checkpoint({
        key: `golden-path-record-request-${entityRef}`,
        fn: async () => {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'platform-metrics',
          });
          const baseUrl = await discovery.getBaseUrl('platform-metrics');
          const response = await fetch(`${baseUrl}/v1/events`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
            },
            body: JSON.stringify(event),
          });
          if (!response.ok) {
            const body = (await response.text()).slice(0, 300);
            throw new Error(
              `The metrics API refused the service request: ${response.status} ${body}`,
            );
          }
        },
      });
      ctx.logger.info(`Recorded the service request for ${entityRef}`);
    },
  });
}
