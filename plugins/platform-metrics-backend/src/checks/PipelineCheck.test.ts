import {
  A,
  at,
  deployment,
  describeOnEachDatabase,
} from '../database/__testUtils__/metricsStoreFixtures';
import { PipelineCheck } from './PipelineCheck';
import { checkTargetOf } from './__testUtils__/checkTargetOf';

const target = checkTargetOf(A);

describe('PipelineCheck', () => {
  describeOnEachDatabase(context => {
    const run = () =>
      PipelineCheck.create({ verifications: context.store }).run(target);

    it('fails before any production deployment', async () => {
      expect(await run()).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining(
          'No successful production deployment has been reported',
        ),
      });
    });

    it('passes when the latest production deployment names its pipeline run', async () => {
      await context.store.ingest([
        deployment(at('03-02 10:00'), {
          entityRef: A,
          source: 'cdevents',
          pipelineId: 'acme/a/4711/1',
        }),
      ]);
      expect(await run()).toEqual({
        status: 'pass',
        detail:
          'The production deployment of 2026-03-02 10:00 UTC was reported by pipeline run acme/a/4711/1 (cdevents).',
      });
    });

    it('fails when the latest production deployment names no run, even if an earlier one did', async () => {
      await context.store.ingest([
        deployment(at('03-02 10:00'), { entityRef: A, pipelineId: '1' }),
        deployment(at('03-05 10:00'), { entityRef: A, source: 'manual' }),
        // Ticket-era rows are not the service's pipeline, whatever they carry.
        {
          ...deployment(at('03-06 10:00'), { entityRef: A, pipelineId: '2' }),
          source: 'baseline',
        },
      ]);
      const outcome = await run();
      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toContain(
        'The last production deployment (2026-03-05 10:00 UTC, reported by manual) names no pipeline run',
      );
      expect(outcome.detail).toContain('ci/report-deployment.sh');
    });
  });

  it('answers unknown, never throws, when the deployments cannot be read', async () => {
    const check = PipelineCheck.create({
      verifications: {
        latestProductionDeployment: () => Promise.reject('timeout'),
      },
    });
    expect(check.configured).toBe(true);
    expect(await check.run(target)).toEqual({
      status: 'unknown',
      detail: `Could not read the production deployments of ${A}: timeout`,
    });
  });
});
