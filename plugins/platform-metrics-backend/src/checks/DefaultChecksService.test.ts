import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SERVICE_CHECK_IDS,
  type ServiceCheckId,
} from '@internal/plugin-platform-metrics-common';
import { Knex } from 'knex';
import { DatabaseChecksStore } from '../database/DatabaseChecksStore';
import { applyDatabaseMigrations } from '../database/migrations';
import {
  FakeCheck,
  goldenPathComponent,
  InFlightGauge,
  InMemoryVerifications,
  nodeServiceTemplate,
} from './__testUtils__/checkDoubles';
import { DefaultChecksService } from './DefaultChecksService';

jest.setTimeout(60_000);

const T0 = new Date('2026-12-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const PAYMENTS = 'component:default/payments';
const credentials = mockCredentials.user();

describe('DefaultChecksService', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await knex('service_check_results').delete();
      await knex('service_check_transitions').delete();
      await knex('service_check_states').delete();
    });

    function setup(
      options: {
        checks?: FakeCheck[];
        required?: ServiceCheckId[];
        enabled?: boolean;
        concurrency?: number;
        timeoutMs?: number;
        entities?: Entity[];
      } = {},
    ) {
      const clock = { now: T0 };
      const verifications = new InMemoryVerifications();
      const store = DatabaseChecksStore.create({ knex });
      const checks = options.checks ?? [
        new FakeCheck('dns'),
        new FakeCheck('tls'),
      ];
      const service = DefaultChecksService.create({
        enabled: options.enabled ?? true,
        checks,
        required: options.required,
        concurrency: options.concurrency ?? 4,
        timeoutMs: options.timeoutMs ?? 1000,
        intervalMinutes: 5,
        store,
        verifications,
        catalog: catalogServiceMock({
          entities: options.entities ?? [
            nodeServiceTemplate,
            goldenPathComponent('payments'),
          ],
        }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        now: () => clock.now,
      });
      const checksOf = async () =>
        service.getServiceChecks(
          { namespace: 'default', name: 'payments' },
          { credentials },
        );
      const cycleAt = async (at: Date) => {
        clock.now = at;
        return service.runCycle();
      };
      return { service, store, verifications, checks, checksOf, cycleAt };
    }

    it('answers every check in the contract order, never-run ones unknown', async () => {
      const { checksOf } = setup();

      const response = await checksOf();

      expect(response.checks.map(c => c.id)).toEqual([...SERVICE_CHECK_IDS]);
      expect(response.checks.find(c => c.id === 'dns')).toEqual({
        id: 'dns',
        status: 'unknown',
        since: null,
        lastCheckedAt: null,
        detail: expect.stringContaining('Not checked yet'),
      });
      // No check is installed for the others: nothing can pass.
      expect(response.checks.find(c => c.id === 'logs')?.status).toBe(
        'not-configured',
      );
      expect(response.verifiedAt).toBeNull();
    });

    it('stores a check without its backend as not-configured, without running it', async () => {
      const logs = new FakeCheck('logs', false);
      const { checksOf, cycleAt, store } = setup({
        checks: [new FakeCheck('dns'), logs],
      });

      await cycleAt(T0);

      expect(logs.runs).toHaveLength(0);
      expect(
        (await store.getResults(PAYMENTS)).find(r => r.checkId === 'logs'),
      ).toMatchObject({ status: 'not-configured' });
      expect((await checksOf()).checks.find(c => c.id === 'logs')?.status).toBe(
        'not-configured',
      );
    });

    it('reports a check that does not answer in time as unknown', async () => {
      const tls = new FakeCheck('tls');
      tls.set(PAYMENTS, 'hang');
      const { checksOf, cycleAt } = setup({
        checks: [new FakeCheck('dns'), tls],
        timeoutMs: 50,
      });

      await cycleAt(T0);

      expect((await checksOf()).checks.find(c => c.id === 'tls')).toEqual({
        id: 'tls',
        status: 'unknown',
        since: T0.toISOString(),
        lastCheckedAt: T0.toISOString(),
        detail:
          'The tls check did not finish within 0.05 s; it runs again in the next cycle.',
      });
    });

    it('writes a transition only when a status changes', async () => {
      const tls = new FakeCheck('tls');
      const { store, cycleAt } = setup({ checks: [new FakeCheck('dns'), tls] });

      await cycleAt(T0);
      await cycleAt(minutes(5));
      tls.set(PAYMENTS, { status: 'fail', detail: 'certificate expired' });
      await cycleAt(minutes(10));
      await cycleAt(minutes(15));

      const transitions = await store.listTransitions(PAYMENTS, 10);
      expect(transitions.map(t => [t.checkId, t.from, t.to])).toEqual(
        expect.arrayContaining([
          ['dns', null, 'pass'],
          ['tls', null, 'pass'],
          ['tls', 'pass', 'fail'],
        ]),
      );
      expect(transitions).toHaveLength(3);
      expect(
        (await store.getResults(PAYMENTS)).find(r => r.checkId === 'tls'),
      ).toMatchObject({ since: minutes(10), lastCheckedAt: minutes(15) });
    });

    it('does not verify on checks that passed before the first deployment', async () => {
      const { verifications, checksOf, cycleAt } = setup();
      verifications.deployed(PAYMENTS, minutes(7));

      await cycleAt(T0);
      await cycleAt(minutes(5));
      expect((await checksOf()).verifiedAt).toBeNull();
      expect(verifications.recorded.get(PAYMENTS)).toEqual({
        coveredSince: T0,
        verifiedAt: null,
      });

      await cycleAt(minutes(10));
      expect((await checksOf()).verifiedAt).toBe(minutes(10).toISOString());
      expect(verifications.recorded.get(PAYMENTS)).toEqual({
        coveredSince: T0,
        verifiedAt: minutes(10),
      });
    });

    it('counts the cycle exactly at the first deployment', async () => {
      const { verifications, checksOf, cycleAt } = setup();
      verifications.deployed(PAYMENTS, minutes(5));

      await cycleAt(minutes(5));

      expect((await checksOf()).verifiedAt).toBe(minutes(5).toISOString());
    });

    it('does not verify a service that is not in production', async () => {
      const { verifications, checksOf, cycleAt } = setup();

      await cycleAt(T0);

      expect((await checksOf()).verifiedAt).toBeNull();
      expect(verifications.recorded.get(PAYMENTS)?.verifiedAt).toBeNull();
    });

    it('keeps the verification when a check fails later, and after it recovers', async () => {
      const tls = new FakeCheck('tls');
      const { verifications, checksOf, cycleAt } = setup({
        checks: [new FakeCheck('dns'), tls],
      });
      verifications.deployed(PAYMENTS, T0);

      await cycleAt(minutes(1));
      tls.set(PAYMENTS, { status: 'fail', detail: 'certificate expired' });
      await cycleAt(minutes(6));
      tls.set(PAYMENTS, { status: 'pass', detail: 'renewed' });
      await cycleAt(minutes(11));

      expect((await checksOf()).verifiedAt).toBe(minutes(1).toISOString());
      expect(verifications.recorded.get(PAYMENTS)?.verifiedAt).toEqual(
        minutes(1),
      );
    });

    it('waits for every required check, and only those', async () => {
      const tls = new FakeCheck('tls');
      tls.set(PAYMENTS, { status: 'fail', detail: 'certificate expired' });
      const strict = setup({ checks: [new FakeCheck('dns'), tls] });
      strict.verifications.deployed(PAYMENTS, T0);
      await strict.cycleAt(minutes(1));
      expect((await strict.checksOf()).verifiedAt).toBeNull();

      await knex('service_check_states').delete();
      const lenient = setup({
        checks: [new FakeCheck('dns'), tls],
        required: ['dns'],
      });
      lenient.verifications.deployed(PAYMENTS, T0);
      await lenient.cycleAt(minutes(1));
      expect((await lenient.checksOf()).verifiedAt).toBe(
        minutes(1).toISOString(),
      );
    });

    it('never verifies through a required check that is not configured', async () => {
      const { verifications, checksOf, cycleAt } = setup({
        checks: [new FakeCheck('dns'), new FakeCheck('logs', false)],
        required: ['dns', 'logs'],
      });
      verifications.deployed(PAYMENTS, T0);

      await cycleAt(minutes(1));

      expect((await checksOf()).verifiedAt).toBeNull();
    });

    it('records no verification when no check is configured', async () => {
      const { verifications, cycleAt } = setup({
        checks: [new FakeCheck('logs', false)],
      });
      verifications.deployed(PAYMENTS, T0);

      await cycleAt(minutes(1));

      expect(verifications.recorded.size).toBe(0);
    });

    it('keeps at most `concurrency` probes in flight', async () => {
      const gauge = new InFlightGauge();
      const dns = new FakeCheck('dns', true, { delayMs: 5, gauge });
      const tls = new FakeCheck('tls', true, { delayMs: 5, gauge });
      const names = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
      const { cycleAt } = setup({
        checks: [dns, tls],
        concurrency: 3,
        entities: [
          nodeServiceTemplate,
          ...names.map(name => goldenPathComponent(name)),
        ],
      });

      const report = await cycleAt(T0);

      expect(report).toEqual({
        services: 12,
        checksRun: 24,
        failedServices: 0,
      });
      expect(dns.runs).toHaveLength(12);
      expect(gauge.max).toBe(3);
    });

    it('hands the checks the target derived from the entity', async () => {
      const dns = new FakeCheck('dns');
      const { cycleAt } = setup({ checks: [dns] });

      await cycleAt(T0);

      expect(dns.runs).toEqual([
        {
          entityRef: PAYMENTS,
          namespace: 'default',
          name: 'payments',
          hostname: 'payments.apps.acme.example',
          kubernetesId: 'payments',
          prometheusRule: 'payments',
        },
      ]);
    });

    it('runs one service now', async () => {
      const dns = new FakeCheck('dns');
      const { service } = setup({ checks: [dns] });

      const response = await service.runServiceChecks(
        { namespace: 'default', name: 'payments' },
        { credentials },
      );

      expect(dns.runs).toHaveLength(1);
      expect(response.checks.find(c => c.id === 'dns')).toMatchObject({
        status: 'pass',
        since: T0.toISOString(),
      });
    });

    it('refuses services the checks do not cover, saying why', async () => {
      const plain = goldenPathComponent('legacy');
      plain.metadata.annotations = {};
      const { service } = setup({
        entities: [nodeServiceTemplate, goldenPathComponent('payments'), plain],
      });

      await expect(
        service.getServiceChecks(
          { namespace: 'default', name: 'legacy' },
          { credentials },
        ),
      ).rejects.toThrow(
        new NotFoundError(
          'component:default/legacy has no live checks: only Components created from a golden-path template, or with a prometheus.io/rule annotation, are checked',
        ),
      );
      await expect(
        service.getServiceChecks(
          { namespace: 'default', name: 'ghost' },
          { credentials },
        ),
      ).rejects.toThrow('component:default/ghost is not in the catalog');
    });

    it('lists services in production whose required checks fail', async () => {
      const tls = new FakeCheck('tls');
      tls.set('component:default/orders', {
        status: 'fail',
        detail: 'certificate expired',
      });
      const { service, verifications, cycleAt } = setup({
        checks: [new FakeCheck('dns'), tls],
        entities: [
          nodeServiceTemplate,
          goldenPathComponent('payments'),
          goldenPathComponent('orders', 'group:default/checkout'),
          goldenPathComponent('drafts', 'group:default/checkout'),
        ],
      });
      verifications.deployed(PAYMENTS, T0);
      verifications.deployed('component:default/orders', T0);

      await cycleAt(minutes(1));

      const expected = {
        entityRef: 'component:default/orders',
        teamRef: 'group:default/checkout',
        firstProductionDeploymentAt: T0.toISOString(),
        failing: [
          { id: 'tls', status: 'fail', since: minutes(1).toISOString() },
        ],
        verifiedAt: null,
      };
      expect(await service.listUnverified({})).toEqual([expected]);
      expect(
        await service.listUnverified({ teamRef: 'group:default/checkout' }),
      ).toEqual([expected]);
      expect(
        await service.listUnverified({
          teamRef: 'group:default/payments-team',
        }),
      ).toEqual([]);
    });

    it('checks nothing and answers not-configured when checks are off', async () => {
      const dns = new FakeCheck('dns');
      const { service, checksOf, cycleAt, store } = setup({
        checks: [dns],
        enabled: false,
      });

      expect(await cycleAt(T0)).toEqual({
        services: 0,
        checksRun: 0,
        failedServices: 0,
      });
      await service.runServiceChecks(
        { namespace: 'default', name: 'payments' },
        { credentials },
      );

      expect(dns.runs).toHaveLength(0);
      expect(await store.hasResults()).toBe(false);
      const response = await checksOf();
      expect(new Set(response.checks.map(c => c.status))).toEqual(
        new Set(['not-configured']),
      );
      expect(response.verifiedAt).toBeNull();
      expect(await service.listUnverified({})).toEqual([]);
    });
  });
});
