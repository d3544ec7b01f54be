import { InputError } from '@backstage/errors';
import {
  A,
  APRIL,
  at,
  B,
  C,
  deployment,
  describeOnEachDatabase,
  EMPTY_LEAD_TIME,
  MARCH,
  request,
  TEAM_X,
  TEAM_Y,
} from '../__testUtils__/metricsStoreFixtures';
import type { DatabaseMetricsStore } from '../DatabaseMetricsStore';

const HOUR = 3600;

describe('VerificationWriter (recordVerification)', () => {
  describeOnEachDatabase(context => {
    let store: DatabaseMetricsStore;

    beforeEach(() => {
      ({ store } = context);
    });

    const readyAt = async (entityRef: string) =>
      (await store.listServiceRequests({ ...MARCH, to: at('05-01 00:00') }, 50))
        .filter(r => r.entityRef === entityRef)
        .map(r => r.readyAt);

    it('ends a covered service request when it is verified, not at its deployment', async () => {
      await store.recordVerification(A, {
        coveredSince: at('03-02 08:00'),
        verifiedAt: null,
      });
      await store.ingest([
        request(A, at('03-02 09:00')),
        deployment(at('03-02 10:00'), { entityRef: A }),
      ]);
      // Deployed but not verified: still in flight.
      expect(await readyAt(A)).toEqual([null]);
      expect(await store.leadTime(MARCH)).toEqual({
        ...EMPTY_LEAD_TIME,
        inFlight: 1,
        verified: 0,
        declaredOnly: 0,
      });

      await store.recordVerification(A, {
        coveredSince: at('03-02 08:00'),
        verifiedAt: at('03-02 12:00'),
      });
      expect(await readyAt(A)).toEqual([at('03-02 12:00')]);
      expect(await store.leadTime(MARCH)).toEqual({
        medianSeconds: 3 * HOUR,
        p90Seconds: 3 * HOUR,
        count: 1,
        inFlight: 0,
        // The checks verified its observability.
        observabilityUnverified: 0,
        verified: 1,
        declaredOnly: 0,
      });
    });

    it('ends the same way whatever order the verification, request and deployment arrive in', async () => {
      await store.recordVerification(A, {
        coveredSince: at('03-02 08:00'),
        verifiedAt: at('03-02 12:00'),
      });
      await store.ingest([deployment(at('03-02 10:00'), { entityRef: A })]);
      await store.ingest([request(A, at('03-02 09:00'))]);
      expect(await readyAt(A)).toEqual([at('03-02 12:00')]);
    });

    it('leaves services the checks do not cover ending at their deployment', async () => {
      await store.ingest([
        request(A, at('03-02 09:00')),
        deployment(at('03-02 10:00'), { entityRef: A }),
        request(B, at('03-02 09:00')),
        deployment(at('03-02 11:00'), {
          entityRef: B,
          observabilityDeclared: true,
        }),
      ]);
      const before = await store.leadTime(MARCH);
      // No service covered: exactly the summary without checks.
      expect(before).not.toHaveProperty('verified');
      expect(before).not.toHaveProperty('declaredOnly');

      await store.recordVerification(C, {
        coveredSince: at('03-01 00:00'),
        verifiedAt: at('03-05 00:00'),
      });
      expect(await readyAt(A)).toEqual([at('03-02 10:00')]);
      expect(await readyAt(B)).toEqual([at('03-02 11:00')]);
      expect(await store.leadTime(MARCH)).toEqual({
        ...before,
        verified: 0,
        declaredOnly: 2,
      });
    });

    it('keeps the lead time of requests already in production before the checks covered the service', async () => {
      await store.ingest([
        request(A, at('03-02 09:00')),
        deployment(at('03-02 10:00'), { entityRef: A }),
      ]);
      await store.recordVerification(A, {
        coveredSince: at('03-20 00:00'),
        verifiedAt: at('03-20 00:00'),
      });
      expect(await readyAt(A)).toEqual([at('03-02 10:00')]);
      expect(await store.leadTime(MARCH)).toMatchObject({
        medianSeconds: HOUR,
        verified: 0,
        declaredOnly: 1,
      });

      // A later request of the same service is covered at its deployment.
      await store.ingest([
        request(A, at('03-21 09:00')),
        deployment(at('03-21 10:00'), { entityRef: A }),
      ]);
      expect(await readyAt(A)).toEqual([at('03-21 10:00'), at('03-02 10:00')]);
      expect(await store.leadTime(MARCH)).toMatchObject({
        count: 2,
        verified: 1,
        declaredOnly: 1,
      });
    });

    describe('ties', () => {
      it('ends at the deployment when verified at exactly its millisecond', async () => {
        await store.ingest([
          request(A, at('03-02 09:00')),
          deployment(at('03-02 10:00'), { entityRef: A }),
        ]);
        // Covered from exactly the deployment's millisecond too.
        await store.recordVerification(A, {
          coveredSince: at('03-02 10:00'),
          verifiedAt: at('03-02 10:00'),
        });
        expect(await readyAt(A)).toEqual([at('03-02 10:00')]);
        expect(await store.leadTime(MARCH)).toMatchObject({
          medianSeconds: HOUR,
          count: 1,
          verified: 1,
          declaredOnly: 0,
        });
      });

      it('ends two requests of one service at the one verification', async () => {
        await store.recordVerification(A, {
          coveredSince: at('03-01 00:00'),
          verifiedAt: null,
        });
        await store.ingest([
          request(A, at('03-02 09:00')),
          request(A, at('03-02 10:00')),
          deployment(at('03-02 11:00'), { entityRef: A }),
        ]);
        await store.recordVerification(A, {
          coveredSince: at('03-01 00:00'),
          verifiedAt: at('03-02 12:00'),
        });
        expect(await readyAt(A)).toEqual([
          at('03-02 12:00'),
          at('03-02 12:00'),
        ]);
        // 3 h and 2 h.
        expect(await store.leadTime(MARCH)).toMatchObject({
          medianSeconds: 2.5 * HOUR,
          count: 2,
          verified: 2,
          declaredOnly: 0,
        });
      });
    });

    it('does not move ready_at when a reopened failure is recorded (null or a later time)', async () => {
      await store.ingest([
        request(A, at('03-02 09:00')),
        deployment(at('03-02 10:00'), { entityRef: A }),
      ]);
      const covered = at('03-02 08:00');
      await store.recordVerification(A, {
        coveredSince: covered,
        verifiedAt: at('03-02 12:00'),
      });
      // A check fails again: the runner records no verification now...
      await store.recordVerification(A, {
        coveredSince: covered,
        verifiedAt: null,
      });
      expect(await readyAt(A)).toEqual([at('03-02 12:00')]);
      // ...then all pass again, later.
      await store.recordVerification(A, {
        coveredSince: covered,
        verifiedAt: at('03-03 12:00'),
      });
      expect(await readyAt(A)).toEqual([at('03-02 12:00')]);
      expect(await store.leadTime(MARCH)).toMatchObject({
        medianSeconds: 3 * HOUR,
        verified: 1,
      });
    });

    it('takes an earlier verification as a correction of the first time', async () => {
      await store.ingest([
        request(A, at('03-02 09:00')),
        deployment(at('03-02 10:00'), { entityRef: A }),
      ]);
      await store.recordVerification(A, {
        coveredSince: at('03-02 08:00'),
        verifiedAt: at('03-02 12:00'),
      });
      await store.recordVerification(A, {
        coveredSince: at('03-02 08:00'),
        verifiedAt: at('03-02 11:00'),
      });
      expect(await readyAt(A)).toEqual([at('03-02 11:00')]);
    });

    it('never ends a request before it was made, nor before its deployment, whatever verifiedAt says', async () => {
      // Verified (by a caller not following the runner's rule) before the
      // request was made, then deployed after it.
      await store.recordVerification(A, {
        coveredSince: at('03-01 00:00'),
        verifiedAt: at('03-01 12:00'),
      });
      await store.ingest([request(A, at('03-02 09:00'))]);
      expect(await readyAt(A)).toEqual([null]);
      await store.ingest([deployment(at('03-02 10:00'), { entityRef: A })]);
      expect(await readyAt(A)).toEqual([at('03-02 10:00')]);

      // A check passing after the request but before the first deployment.
      await store.recordVerification(B, {
        coveredSince: at('03-01 00:00'),
        verifiedAt: at('03-02 09:30'),
      });
      await store.ingest([
        request(B, at('03-02 09:00')),
        deployment(at('03-02 11:00'), { entityRef: B }),
      ]);
      expect(await readyAt(B)).toEqual([at('03-02 11:00')]);
      expect(await store.leadTime(MARCH)).toMatchObject({
        count: 2,
        medianSeconds: 1.5 * HOUR, // 1 h and 2 h
        verified: 2,
      });
    });

    it('counts verified and declared-only per period and per team', async () => {
      for (const entityRef of [A, B]) {
        await store.recordVerification(entityRef, {
          coveredSince: at('03-01 00:00'),
          verifiedAt: null,
        });
      }
      await store.ingest([
        // A (team X): verified in April.
        request(A, at('03-30 09:00')),
        deployment(at('03-31 10:00'), { entityRef: A }),
        // B (team Y): verified in March.
        request(B, at('03-02 09:00'), { teamRef: TEAM_Y }),
        deployment(at('03-02 10:00'), { entityRef: B, teamRef: TEAM_Y }),
        // C (team Y): not covered, in production in March.
        request(C, at('03-02 09:00'), { teamRef: TEAM_Y }),
        deployment(at('03-03 09:00'), { entityRef: C, teamRef: TEAM_Y }),
      ]);
      await store.recordVerification(A, {
        coveredSince: at('03-01 00:00'),
        verifiedAt: at('04-01 09:00'),
      });
      await store.recordVerification(B, {
        coveredSince: at('03-01 00:00'),
        verifiedAt: at('03-02 11:00'),
      });

      expect(await store.leadTime(MARCH)).toMatchObject({
        count: 2,
        inFlight: 1,
        verified: 1,
        declaredOnly: 1,
      });
      expect(await store.leadTime({ ...MARCH, team: TEAM_X })).toMatchObject({
        count: 0,
        inFlight: 1,
        verified: 0,
        declaredOnly: 0,
      });
      expect(await store.leadTime({ ...MARCH, team: TEAM_Y })).toMatchObject({
        count: 2,
        verified: 1,
        declaredOnly: 1,
      });
      expect(await store.leadTime(APRIL)).toMatchObject({
        count: 1,
        medianSeconds: 48 * HOUR,
        verified: 1,
        declaredOnly: 0,
      });
    });

    it('does not end ticket-era requests', async () => {
      await store.recordVerification(A, {
        coveredSince: at('03-01 00:00'),
        verifiedAt: at('03-03 00:00'),
      });
      await store.ingest([
        {
          ...request(A, at('03-02 00:00')),
          source: 'baseline',
          inProductionAt: at('03-10 00:00'),
        },
        deployment(at('03-02 01:00'), { entityRef: A }),
      ]);
      expect(await store.leadTime({ ...MARCH, baseline: true })).toMatchObject({
        medianSeconds: 8 * 24 * HOUR,
        count: 1,
        verified: 0,
        declaredOnly: 1,
      });
    });

    it('rejects what cannot be stored with an InputError naming the field', async () => {
      await expect(
        store.recordVerification(A, {
          coveredSince: new Date(NaN),
          verifiedAt: null,
        }),
      ).rejects.toThrow(new InputError('Invalid coveredSince'));
      await expect(
        store.recordVerification(`component:default/${'x'.repeat(300)}`, {
          coveredSince: at('03-01 00:00'),
          verifiedAt: null,
        }),
      ).rejects.toThrow(InputError);
    });
  });
});

describe('productionDeployment (first and latest)', () => {
  describeOnEachDatabase(context => {
    it('reads the successful live production deployments of the service only', async () => {
      const { store } = context;
      expect(await store.firstProductionDeployment(A)).toBeUndefined();
      expect(await store.latestProductionDeployment(A)).toBeUndefined();
      const digest = `sha256:${'a'.repeat(64)}`;
      await store.ingest([
        deployment(at('03-01 09:00'), { entityRef: A, outcome: 'failure' }),
        deployment(at('03-02 09:00'), {
          entityRef: A,
          source: 'gitlab',
          pipelineId: '77',
        }),
        deployment(at('03-03 09:00'), {
          entityRef: A,
          source: 'cdevents',
          pipelineId: 'acme/a/123/1',
          imageDigest: digest,
        }),
        deployment(at('03-04 09:00'), { entityRef: A, outcome: 'rollback' }),
        deployment(at('03-05 09:00'), {
          entityRef: A,
          environment: 'staging',
          production: false,
        }),
        deployment(at('03-06 09:00'), { entityRef: B }),
        {
          ...deployment(at('03-07 09:00'), { entityRef: A }),
          source: 'baseline',
        },
      ]);
      expect(await store.firstProductionDeployment(A)).toEqual({
        deployedAt: at('03-02 09:00'),
        source: 'gitlab',
        pipelineId: '77',
      });
      expect(await store.latestProductionDeployment(A)).toEqual({
        deployedAt: at('03-03 09:00'),
        source: 'cdevents',
        pipelineId: 'acme/a/123/1',
        imageDigest: digest,
      });
    });
  });
});
