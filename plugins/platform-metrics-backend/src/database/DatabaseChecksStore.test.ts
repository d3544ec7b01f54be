import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import type { CheckCycle } from './ChecksStore';
import { DatabaseChecksStore } from './DatabaseChecksStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const REF = 'component:default/payments';
const T0 = new Date('2026-12-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function cycle(overrides: Partial<CheckCycle> = {}): CheckCycle {
  return {
    entityRef: REF,
    teamRef: 'group:default/payments-team',
    at: T0,
    outcomes: [
      { checkId: 'dns', status: 'pass', detail: 'resolves to 203.0.113.7' },
      { checkId: 'tls', status: 'fail', detail: 'certificate expired' },
    ],
    firstProductionDeploymentAt: null,
    requiredPassing: false,
    verifiedAt: null,
    ...overrides,
  };
}

describe('DatabaseChecksStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseChecksStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = DatabaseChecksStore.create({ knex });
    });

    beforeEach(async () => {
      await knex('service_check_results').delete();
      await knex('service_check_transitions').delete();
      await knex('service_check_states').delete();
    });

    it('stores results and a first transition for each check', async () => {
      await store.recordCycle(cycle());

      expect(await store.getResults(REF)).toEqual([
        {
          checkId: 'dns',
          status: 'pass',
          since: T0,
          lastCheckedAt: T0,
          detail: 'resolves to 203.0.113.7',
        },
        {
          checkId: 'tls',
          status: 'fail',
          since: T0,
          lastCheckedAt: T0,
          detail: 'certificate expired',
        },
      ]);
      const transitions = await store.listTransitions(REF, 10);
      expect(transitions).toHaveLength(2);
      expect(transitions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ checkId: 'dns', from: null, to: 'pass' }),
          expect.objectContaining({ checkId: 'tls', from: null, to: 'fail' }),
        ]),
      );
    });

    it('keeps `since` and writes no transition while the status holds', async () => {
      await store.recordCycle(cycle());
      await store.recordCycle(
        cycle({
          at: minutes(5),
          outcomes: [
            { checkId: 'dns', status: 'pass', detail: 'resolves again' },
            { checkId: 'tls', status: 'pass', detail: 'valid until 2027' },
          ],
        }),
      );

      const results = await store.getResults(REF);
      expect(results.find(r => r.checkId === 'dns')).toEqual({
        checkId: 'dns',
        status: 'pass',
        since: T0,
        lastCheckedAt: minutes(5),
        detail: 'resolves again',
      });
      expect(results.find(r => r.checkId === 'tls')).toMatchObject({
        status: 'pass',
        since: minutes(5),
      });
      const transitions = await store.listTransitions(REF, 10);
      expect(transitions).toHaveLength(3);
      expect(transitions[0]).toEqual({
        checkId: 'tls',
        from: 'fail',
        to: 'pass',
        at: minutes(5),
        detail: 'valid until 2027',
      });
    });

    it('never lets an older run overwrite a newer one', async () => {
      await store.recordCycle(
        cycle({
          at: minutes(10),
          outcomes: [{ checkId: 'dns', status: 'pass', detail: 'new' }],
        }),
      );
      const state = await store.recordCycle(
        cycle({
          at: minutes(5),
          outcomes: [{ checkId: 'dns', status: 'fail', detail: 'old' }],
          requiredPassing: true,
        }),
      );

      expect(await store.getResults(REF)).toEqual([
        expect.objectContaining({ status: 'pass', detail: 'new' }),
      ]);
      expect(await store.listTransitions(REF, 10)).toHaveLength(1);
      expect(state.lastCycleAt).toEqual(minutes(10));
      expect(state.requiredPassing).toBe(false);
    });

    it('keeps the first coverage and the first verification', async () => {
      const deployed = minutes(-60);
      await store.recordCycle(cycle({ firstProductionDeploymentAt: deployed }));
      await store.recordCycle(
        cycle({
          at: minutes(5),
          firstProductionDeploymentAt: deployed,
          requiredPassing: true,
          verifiedAt: minutes(5),
        }),
      );
      const later = await store.recordCycle(
        cycle({
          at: minutes(10),
          firstProductionDeploymentAt: deployed,
          requiredPassing: true,
          verifiedAt: minutes(10),
        }),
      );

      expect(later).toEqual({
        entityRef: REF,
        teamRef: 'group:default/payments-team',
        coveredSince: T0,
        lastCycleAt: minutes(10),
        firstProductionDeploymentAt: deployed,
        requiredPassing: true,
        verifiedAt: minutes(5),
      });
      expect(await store.getState(REF)).toEqual(later);
    });

    it('lists services in production whose required checks fail, by team', async () => {
      const deployed = minutes(-60);
      await store.recordCycle(cycle({ firstProductionDeploymentAt: deployed }));
      await store.recordCycle(
        cycle({
          entityRef: 'component:default/orders',
          teamRef: 'group:default/checkout',
          firstProductionDeploymentAt: deployed,
        }),
      );
      // Not in production: not listed however its checks fare.
      await store.recordCycle(cycle({ entityRef: 'component:default/draft' }));
      // In production and passing: not listed.
      await store.recordCycle(
        cycle({
          entityRef: 'component:default/ok',
          firstProductionDeploymentAt: deployed,
          requiredPassing: true,
          verifiedAt: T0,
        }),
      );

      const all = await store.listUnverified({});
      expect(all.map(u => u.state.entityRef)).toEqual([
        'component:default/orders',
        REF,
      ]);
      expect(all[1].results.map(r => r.checkId)).toEqual(['dns', 'tls']);

      const checkout = await store.listUnverified({
        teamRef: 'group:default/checkout',
      });
      expect(checkout.map(u => u.state.entityRef)).toEqual([
        'component:default/orders',
      ]);
      expect(
        await store.listUnverified({ teamRef: 'group:default/nobody' }),
      ).toEqual([]);
    });

    it('says whether any result is stored', async () => {
      expect(await store.hasResults()).toBe(false);
      await store.recordCycle(cycle());
      expect(await store.hasResults()).toBe(true);
    });
  });
});
