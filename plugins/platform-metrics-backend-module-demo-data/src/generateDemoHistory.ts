import type { AttributedRecord } from '@internal/plugin-platform-metrics-node';
import { createRandom } from './createRandom';

/** A catalog service the demo history is written for. */
export interface DemoService {
  entityRef: string;
  teamRef: string | null;
}

interface DemoSurveyResponse {
  teamRef: string | null;
  answers: Record<string, number>;
  comment?: string;
}

export interface DemoCampaign {
  title: string;
  quarter: string;
  opensAt: Date;
  closesAt: Date;
  /** The current quarter's campaign stays open for people to answer. */
  open: boolean;
  responses: DemoSurveyResponse[];
  /** When the responses were given (the open campaign has none yet). */
  answeredAt: Date;
}

export interface DemoHistory {
  records: AttributedRecord[];
  campaigns: DemoCampaign[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const GOLDEN_TEMPLATES = ['node-service', 'go-service', 'python-service'];

function quarterOf(date: Date) {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

function quarterStart(date: Date) {
  return new Date(
    Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1),
  );
}

function addMonths(date: Date, months: number) {
  return new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      date.getUTCDate(),
    ),
  );
}

/**
 * Two years of history ending at `now`, told as a story:
 * - the first nine months are the ticket era (the imported baseline): new services
 *   take weeks, incidents take hours to resolve;
 * - then the portal launches; services created from golden paths reach production in
 *   minutes to hours, and teams move their pipelines onto the golden path at
 *   different speeds (some never do), so adoption is uneven;
 * - incidents keep happening, resolved faster as observability arrives; a few are
 *   open now and some were reopened;
 * - four quarterly surveys with satisfaction rising, one small team below the
 *   anonymity threshold, and the current quarter's survey open.
 *
 * The current quarter, however young (from about a day in), has something for
 * every metric: services created and in production, deployments, a resolved
 * incident, and last quarter's survey answered and closed.
 */
export function generateDemoHistory(options: {
  services: DemoService[];
  now: Date;
  seed?: number;
  /** People per team ref; survey responses never exceed them. Default 8. */
  teamSizes?: Record<string, number>;
  /** The questions each survey response answers. */
  questionIds: readonly string[];
}): DemoHistory {
  const random = createRandom(options.seed ?? 20261126);
  const end = options.now.getTime();
  const start = end - 730 * DAY;
  const launch = start + 270 * DAY;
  const quarterBegan = quarterStart(options.now).getTime();
  const records: AttributedRecord[] = [];
  let sequence = 0;
  const key = (prefix: string) => `demo:${prefix}:${++sequence}`;

  const services = [...options.services].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  const teams = [...new Set(services.map(s => s.teamRef))];
  // How far each team gets onto the golden path, and when it starts moving.
  const adoption = new Map(
    teams.map((team, i) => [
      team,
      {
        share: [0.95, 0.85, 0.7, 0.45, 0.25, 0.1][i % 6],
        from: launch + (30 + 45 * (i % 5)) * DAY,
      },
    ]),
  );

  // Ticket era: requests for new services, taking weeks through six teams' queues.
  for (let t = start + random.between(0, 10) * DAY; t < launch; ) {
    const team = random.pick(teams);
    const requestedAt = new Date(t);
    const readyAt = new Date(t + random.logNormal(21 * DAY, 0.35));
    const ticket = `OPS-${1000 + sequence}`;
    records.push({
      kind: 'service-request',
      source: 'baseline',
      deliveryKey: key('baseline-request'),
      entityRef: `component:default/ticket-${ticket.toLowerCase()}`,
      team: team ?? undefined,
      requestedAt,
      inProductionAt: readyAt,
      ticketId: ticket,
      attribution: { entityRef: null, teamRef: team },
    });
    t += random.between(6, 16) * DAY;
  }

  // Live era: each service is (re)created from a golden path some time after launch.
  for (const [index, service] of services.entries()) {
    const team = adoption.get(service.teamRef)!;
    const onPath = random.next() < team.share;
    const template = random.pick(GOLDEN_TEMPLATES);
    // Every twelfth service was requested in the last days and is still in
    // flight; every sixth was (re)created this quarter and is in production.
    const inFlight = index % 12 === 11;
    let requestedAt = launch + random.between(0, 400) * DAY;
    if (inFlight) {
      requestedAt = end - random.between(0.5, 4) * DAY;
    } else if (index % 6 === 0) {
      requestedAt =
        quarterBegan + random.between(0.1, 0.6) * (end - quarterBegan);
    }
    if (requestedAt < end - HOUR) {
      records.push({
        kind: 'service-request',
        source: 'demo',
        deliveryKey: key('request'),
        entityRef: service.entityRef,
        team: service.teamRef ?? undefined,
        template,
        templateVersion: '1.0.0',
        requestedAt: new Date(requestedAt),
        attribution: service,
      });
    }
    // Golden-path services reach production minutes to hours after the request,
    // with alerts, logs, TLS and DNS declared by the pipeline.
    const firstDeploy = requestedAt + random.logNormal(40 * MINUTE, 0.8);
    if (!inFlight && firstDeploy < end) {
      records.push({
        kind: 'deployment',
        source: 'demo',
        deliveryKey: key('deploy'),
        service: { entityRef: service.entityRef },
        environment: 'production',
        production: true,
        outcome: 'success',
        occurredAt: new Date(firstDeploy),
        goldenPath: { template, version: '1.0.0' },
        observabilityDeclared: true,
        pipelineId: `run-${sequence}`,
        attribution: service,
      });
    }
    // Day-to-day deployments follow the golden path once the team has moved the
    // service's pipeline onto it; some teams never do.
    const migratedAt = onPath
      ? Math.max(team.from + random.between(0, 120) * DAY, requestedAt)
      : Number.POSITIVE_INFINITY;
    for (let t = start + random.between(0, 7) * DAY; t < end; ) {
      if (inFlight && t >= requestedAt) break;
      const golden = t >= migratedAt;
      const production = random.next() < 0.6;
      records.push({
        kind: 'deployment',
        source: 'demo',
        deliveryKey: key('deploy'),
        service: { entityRef: service.entityRef },
        environment: production ? 'production' : 'staging',
        production,
        outcome: random.next() < 0.05 ? 'failure' : 'success',
        occurredAt: new Date(t),
        goldenPath: golden ? { template, version: '1.0.0' } : undefined,
        observabilityDeclared: golden,
        pipelineId: `run-${sequence}`,
        attribution: service,
      });
      t += random.between(1.5, 5) * DAY;
    }
  }

  // Incidents: resolution gets faster after launch; a few are open at `now`.
  // `longest` caps how long one takes to resolve.
  const incident = (startedAt: number, longest = Number.POSITIVE_INFINITY) => {
    const service = random.pick(services);
    const live = startedAt >= launch;
    const baseline = !live;
    const median = live ? 50 * MINUTE : 5 * HOUR;
    const duration = Math.min(random.logNormal(median, 0.7), longest);
    const incidentKey = `demo-incident-${sequence}`;
    const severity = random.pick(['P1', 'P2', 'P2', 'P3', 'P3', 'P3']);
    const resolvedAt = startedAt + duration;
    const common = {
      kind: 'incident' as const,
      source: baseline ? ('baseline' as const) : ('demo' as const),
      incidentKey,
      severity,
      title: `${service.entityRef.split('/')[1]}: ${random.pick([
        'error rate above SLO',
        'p99 latency above 1s',
        'pods crash-looping',
        'certificate expiring',
      ])}`,
      service: { entityRef: service.entityRef },
      attribution: service,
    };
    records.push({
      ...common,
      deliveryKey: key('incident'),
      type: 'triggered',
      occurredAt: new Date(startedAt),
    });
    if (resolvedAt < end) {
      records.push({
        ...common,
        deliveryKey: key('incident'),
        type: 'resolved',
        occurredAt: new Date(resolvedAt),
      });
      // Some incidents come back: the clock runs to the final resolution.
      if (random.next() < 0.08) {
        const reopenedAt = resolvedAt + random.between(10, 90) * MINUTE;
        const finalAt = reopenedAt + random.logNormal(median / 2, 0.5);
        if (finalAt < end) {
          records.push(
            {
              ...common,
              deliveryKey: key('incident'),
              type: 'reopened',
              occurredAt: new Date(reopenedAt),
            },
            {
              ...common,
              deliveryKey: key('incident'),
              type: 'resolved',
              occurredAt: new Date(finalAt),
            },
          );
        }
      }
    }
  };
  for (let t = start + random.between(0, 3) * DAY; t < end; ) {
    const live = t >= launch;
    incident(t);
    t += random.between(live ? 1 : 0.5, live ? 4 : 2.5) * DAY;
  }
  // However young the quarter, it has had an incident, already restored.
  const sinceQuarterBegan = end - quarterBegan;
  incident(
    quarterBegan + random.between(0.2, 0.5) * sinceQuarterBegan,
    0.4 * sinceQuarterBegan,
  );

  return {
    records,
    campaigns: surveyCampaigns(
      random,
      teams,
      options.now,
      team => (team && options.teamSizes?.[team]) || 8,
      options.questionIds,
    ),
  };
}

function surveyCampaigns(
  random: ReturnType<typeof createRandom>,
  teams: (string | null)[],
  now: Date,
  teamSize: (team: string | null) => number,
  questionIds: readonly string[],
): DemoCampaign[] {
  const current = quarterStart(now);
  const campaigns: DemoCampaign[] = [];
  for (let back = 4; back >= 0; back--) {
    const quarter = addMonths(current, -3 * back);
    // Each quarter's survey runs for two weeks once the quarter is over, so
    // last quarter's closes in this one, an hour before `now` at the latest.
    // Its answers come a day after it opens, and within the quarter it closes
    // in, like its result. This quarter's opens early, so that there is one to
    // answer.
    const closesAt = addMonths(quarter, 3).getTime() + 16 * DAY;
    const open = back === 0;
    const closedAt = Math.min(closesAt, now.getTime() - HOUR);
    const opensAt = Math.min(closesAt - 14 * DAY, closedAt - 2 * DAY);
    const window = open
      ? { opensAt: now, closesAt: new Date(closesAt), answeredAt: now }
      : {
          opensAt: new Date(opensAt),
          closesAt: new Date(closedAt),
          answeredAt: new Date(
            Math.max(opensAt + DAY, quarterStart(new Date(closedAt)).getTime()),
          ),
        };
    const favourable = 0.45 + 0.08 * (4 - back);
    const responses: DemoSurveyResponse[] = open
      ? []
      : teams.flatMap((team, i) => {
          // Most of each team answers; in the last team only three people do, so
          // its answers are always suppressed.
          const size = teamSize(team);
          const count =
            i === teams.length - 1
              ? Math.min(3, size)
              : Math.min(
                  size,
                  Math.max(5, Math.round(size * random.between(0.6, 0.9))),
                );
          return Array.from({ length: count }, () => {
            const rating = () =>
              random.next() < favourable ? random.int(4, 5) : random.int(1, 3);
            return {
              teamRef: team,
              answers: Object.fromEntries(
                questionIds.map(id => [id, rating()]),
              ),
              comment:
                random.next() < 0.2
                  ? random.pick([
                      'Creating a service is finally self-service.',
                      'CI for monorepos is still slow.',
                      'I want preview environments.',
                      'Alerts arrive with a runbook now, thank you.',
                    ])
                  : undefined,
            };
          });
        });
    campaigns.push({
      title: `Developer experience ${quarterOf(quarter)}`,
      quarter: quarterOf(quarter),
      ...window,
      open,
      responses,
    });
  }
  return campaigns;
}
