import { createHash } from 'node:crypto';
import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { PlatformMetricsSeedTarget } from '@internal/plugin-platform-metrics-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { generateDemoCheckHistory } from './generateDemoCheckHistory';
import {
  generateDemoHistory,
  type DemoCampaign,
  type DemoService,
} from './generateDemoHistory';
import { type DemoUser, generateDemoUsage } from './generateDemoUsage';

const BATCH = 1000;

type SeedOutcome =
  | 'seeded'
  | 'already-seeded'
  | 'no-services'
  | 'catalog-settling';

/**
 * Fills an empty database with the deterministic demo history, for
 * `./scripts/portal start`. Records go through the same store as live events;
 * survey answers through the same anonymous store as real ones.
 */
export class DemoDataSeeder {
  private lastServiceCount = 0;

  private constructor(
    private readonly options: {
      target: PlatformMetricsSeedTarget;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  static create(options: DemoDataSeeder['options']) {
    return new DemoDataSeeder(options);
  }

  /**
   * Global scope: with several replicas, one seeds. It looks every 20 s until the
   * catalog has settled, seeds once, then is a no-op.
   */
  async schedule(scheduler: SchedulerService) {
    await scheduler.scheduleTask({
      id: 'platform-metrics-demo-data',
      scope: 'global',
      frequency: { seconds: 20 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 10 },
      fn: async () => {
        const outcome = await this.seed();
        if (outcome === 'no-services' || outcome === 'catalog-settling') {
          this.options.logger.info('Demo metrics wait for the catalog to load');
        }
      },
    });
  }

  async seed(now = new Date()): Promise<SeedOutcome> {
    const { target, logger } = this.options;
    // Checks and usage came later than the metrics: a database seeded before
    // gets them too.
    const metricsSeeded = await target.metrics.hasDeployments();
    const usageSeeded = await target.usage.hasEvents();
    if (metricsSeeded) await this.seedChecks(now);
    if (metricsSeeded && usageSeeded) {
      return 'already-seeded';
    }
    const services = await this.catalogServices();
    if (services.length === 0) return 'no-services';
    // The catalog ingests the demo files over several processing rounds; seeding
    // a partial catalog would leave whole teams without history. Seed once two
    // looks in a row see the same services.
    if (services.length !== this.lastServiceCount) {
      this.lastServiceCount = services.length;
      return 'catalog-settling';
    }

    if (!usageSeeded) await this.seedUsage(now);
    if (metricsSeeded) return 'seeded';

    const history = generateDemoHistory({
      services,
      now,
      teamSizes: await this.teamSizes(),
      questionIds: target.survey.defaultQuestionIds,
    });
    for (let i = 0; i < history.records.length; i += BATCH) {
      await target.metrics.ingest(history.records.slice(i, i + BATCH));
    }
    for (const campaign of history.campaigns) {
      await this.seedCampaign(campaign);
    }
    await this.seedChecks(now);
    logger.info(
      `Seeded demo metrics: ${history.records.length} events for ${services.length} services, ${history.campaigns.length} survey campaigns`,
    );
    return 'seeded';
  }

  private async seedCampaign(demo: DemoCampaign) {
    const { survey } = this.options.target;
    const existing = await survey.listCampaigns();
    if (existing.some(c => c.quarter === demo.quarter)) return;
    const campaign = await survey.createCampaign({
      title: demo.title,
      quarter: demo.quarter,
      opensAt: demo.opensAt,
      closesAt: demo.closesAt,
    });
    // Past campaigns are replayed at their own dates; the current one opens now.
    const opened = await survey.openCampaign(
      campaign.id,
      demo.open ? new Date() : demo.opensAt,
    );
    if (!opened) {
      this.options.logger.warn(
        `Demo survey ${demo.quarter} left as a draft: another campaign is open`,
      );
      return;
    }
    if (demo.open) return;
    for (const [n, response] of demo.responses.entries()) {
      await survey.submitResponse(
        {
          campaignId: campaign.id,
          // Synthetic respondents: a stable stand-in for the keyed hash.
          participantHash: createHash('sha256')
            .update(`demo:${campaign.id}:${n}`)
            .digest('hex'),
          teamRef: response.teamRef,
          answers: Object.entries(response.answers).map(
            ([questionId, value]) => ({ questionId, value }),
          ),
          comment: response.comment ?? null,
        },
        demo.answeredAt,
      );
    }
    await survey.closeCampaign(campaign.id, demo.closesAt);
  }

  /**
   * A week of live-check cycles for the golden-path services, through the
   * runner's rules; after the deployments, so verification can find them.
   */
  private async seedChecks(now: Date) {
    const { target, catalog, auth, logger } = this.options;
    if (await target.checks.hasResults()) return;
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'Component',
          'metadata.annotations.backstage.io/source-template':
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const cycles = generateDemoCheckHistory({
      services: items.map(toDemoService),
      now,
    });
    for (const cycle of cycles) {
      await target.checks.recordCycle(cycle.service, cycle.at, cycle.outcomes);
    }
    if (cycles.length > 0) {
      logger.info(
        `Seeded demo live checks: ${cycles.length} cycles for ${items.length} golden-path services`,
      );
    }
  }

  private async seedUsage(now: Date) {
    const events = generateDemoUsage({ users: await this.catalogUsers(), now });
    for (let i = 0; i < events.length; i += BATCH) {
      await this.options.target.usage.record(events.slice(i, i + BATCH));
    }
    this.options.logger.info(`Seeded ${events.length} demo usage events`);
  }

  /** Each User with their first Group, as the usage endpoint sees them. */
  private async catalogUsers(): Promise<DemoUser[]> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'User' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.map(user => ({
      userEntityRef: stringifyEntityRef(user),
      teamRef:
        user.relations?.find(r => r.type === RELATION_MEMBER_OF)?.targetRef ??
        null,
    }));
  }

  /** People per Group, so demo participation never exceeds 100%. */
  private async teamSizes(): Promise<Record<string, number>> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntities(
      { filter: { kind: 'User' }, fields: ['relations'] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const sizes: Record<string, number> = {};
    for (const user of items) {
      for (const relation of user.relations ?? []) {
        if (relation.type === RELATION_MEMBER_OF) {
          sizes[relation.targetRef] = (sizes[relation.targetRef] ?? 0) + 1;
        }
      }
    }
    return sizes;
  }

  private async catalogServices(): Promise<DemoService[]> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Component', 'spec.type': ['service', 'website'] },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.map(toDemoService);
  }
}

function toDemoService(entity: Entity): DemoService {
  return {
    entityRef: stringifyEntityRef(entity),
    teamRef:
      entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef ??
      null,
  };
}
