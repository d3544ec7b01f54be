import {
  A,
  at,
  deployment,
  describeOnEachDatabase,
} from '../database/__testUtils__/metricsStoreFixtures';
import { ImageCheck } from './ImageCheck';
import { checkTargetOf } from './__testUtils__/checkTargetOf';

const target = checkTargetOf(A);
const DIGEST = `sha256:${'c0ffee00'.repeat(8)}`;

describe('ImageCheck', () => {
  describeOnEachDatabase(context => {
    const run = () =>
      ImageCheck.create({ verifications: context.store }).run(target);

    it('fails, saying how to report one, before any production deployment', async () => {
      await context.store.ingest([
        deployment(at('03-02 10:00'), {
          entityRef: A,
          environment: 'staging',
          production: false,
          imageDigest: DIGEST,
        }),
      ]);
      expect(await run()).toEqual({
        status: 'fail',
        detail: expect.stringMatching(
          /No successful production deployment .* ci\/report-deployment\.sh/,
        ),
      });
    });

    it('passes when the latest production deployment carries a digest', async () => {
      await context.store.ingest([
        deployment(at('03-02 10:00'), { entityRef: A, imageDigest: DIGEST }),
        // A failed deployment without a digest does not count.
        deployment(at('03-03 10:00'), { entityRef: A, outcome: 'failure' }),
      ]);
      expect(await run()).toEqual({
        status: 'pass',
        detail: `The production deployment of 2026-03-02 10:00 UTC runs image ${DIGEST}.`,
      });
    });

    it('fails when the latest production deployment reported no digest, saying what to set', async () => {
      await context.store.ingest([
        deployment(at('03-02 10:00'), { entityRef: A, imageDigest: DIGEST }),
        deployment(at('03-04 10:00'), { entityRef: A, source: 'cdevents' }),
      ]);
      const outcome = await run();
      expect(outcome.status).toBe('fail');
      expect(outcome.detail).toContain(
        'The last production deployment (2026-03-04 10:00 UTC, reported by cdevents) reported no image digest',
      );
      expect(outcome.detail).toContain('golden path 1.1.0');
      expect(outcome.detail).toContain('set IMAGE_DIGEST in CI');
    });
  });

  it('answers unknown, never throws, when the deployments cannot be read', async () => {
    const check = ImageCheck.create({
      verifications: {
        latestProductionDeployment: async () => {
          throw new Error('connection refused');
        },
      },
    });
    expect(check.configured).toBe(true);
    expect(await check.run(target)).toEqual({
      status: 'unknown',
      detail: `Could not read the production deployments of ${A}: connection refused`,
    });
  });
});
