import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  platformMetricsAdminPermission,
  platformMetricsReadPermission,
  platformMetricsSurveyCommentsReadPermission,
  surveyCampaignInputSchema,
  surveyCampaignUpdateSchema,
  surveySubmissionSchema,
} from '@internal/plugin-platform-metrics-common';
import type express from 'express';
import { z } from 'zod';
import { parseInput } from './parseInput';
import type { SurveyService } from './SurveyService';

/**
 * The survey's HTTP routes. Answering needs a signed-in user; the caller's identity
 * is used only to record participation and to find their team.
 */
export function createSurveyRoutes(options: {
  survey: SurveyService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  auth: AuthService;
  catalog: CatalogService;
}) {
  const { survey, httpAuth, permissions, userInfo, auth, catalog } = options;

  const isAllowed = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  };
  const requireAdmin = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req);
    if (!(await isAllowed(credentials, platformMetricsAdminPermission))) {
      throw new NotAllowedError(
        `Not allowed: ${platformMetricsAdminPermission.name}`,
      );
    }
  };
  const currentUser = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    // The first group the user belongs to is their team for breakdowns.
    const team =
      info.ownershipEntityRefs.find(ref => ref.startsWith('group:')) ?? null;
    return { userRef: info.userEntityRef, team };
  };

  /** Eligible people per team: catalog Users by group membership. */
  const eligibleHeadCount = async (): Promise<Record<string, number>> => {
    const { items } = await catalog.getEntities(
      { filter: { kind: 'User' }, fields: ['relations'] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const counts: Record<string, number> = {};
    for (const user of items) {
      for (const relation of user.relations ?? []) {
        if (relation.type === RELATION_MEMBER_OF) {
          counts[relation.targetRef] = (counts[relation.targetRef] ?? 0) + 1;
        }
      }
    }
    return counts;
  };

  return (router: express.Router) => {
    router.get('/v1/survey/current', async (req, res) => {
      const { userRef } = await currentUser(req);
      const campaign = await survey.getOpenCampaign();
      res.json({
        campaign: campaign ?? null,
        answered: campaign
          ? await survey.hasAnswered(campaign.id, userRef)
          : false,
        minimumGroupSize: survey.minimumGroupSize,
      });
    });

    router.post(
      '/v1/survey/campaigns/:campaignId/responses',
      async (req, res) => {
        const { userRef, team } = await currentUser(req);
        const body = parseInput(surveySubmissionSchema, req.body);
        await survey.submit(
          req.params.campaignId,
          userRef,
          team,
          body.answers,
          body.comment,
        );
        res.status(201).json({ status: 'stored' });
      },
    );

    router.get('/v1/survey/results', async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      if (!(await isAllowed(credentials, platformMetricsReadPermission))) {
        throw new NotAllowedError(
          `Not allowed: ${platformMetricsReadPermission.name}`,
        );
      }
      const query = parseInput(
        z.object({
          campaignId: z.string().max(100).optional(),
          team: z.string().max(300).optional(),
        }),
        req.query,
      );
      res.json(
        await survey.results({
          campaignIds: query.campaignId ? [query.campaignId] : undefined,
          team: query.team,
          includeComments: await isAllowed(
            credentials,
            platformMetricsSurveyCommentsReadPermission,
          ),
          eligible: await eligibleHeadCount(),
        }),
      );
    });

    router.get('/v1/survey/campaigns', async (req, res) => {
      await requireAdmin(req);
      res.json({ items: await survey.listCampaigns() });
    });

    router.post('/v1/survey/campaigns', async (req, res) => {
      await requireAdmin(req);
      const input = parseInput(surveyCampaignInputSchema, req.body);
      res.status(201).json(await survey.createCampaign(input));
    });

    router.put('/v1/survey/campaigns/:campaignId', async (req, res) => {
      await requireAdmin(req);
      const input = parseInput(surveyCampaignUpdateSchema, req.body);
      res.json(await survey.updateCampaign(req.params.campaignId, input));
    });

    router.post('/v1/survey/campaigns/:campaignId/open', async (req, res) => {
      await requireAdmin(req);
      res.json(await survey.openCampaign(req.params.campaignId));
    });

    router.post('/v1/survey/campaigns/:campaignId/close', async (req, res) => {
      await requireAdmin(req);
      res.json(await survey.closeCampaign(req.params.campaignId));
    });
  };
}
