import { SERVICE_CHECK_IDS } from '@internal/plugin-platform-metrics-common';
import type { PlatformMetricsSeedCheckOutcome } from '@internal/plugin-platform-metrics-node';
import type { DemoService } from './generateDemoHistory';

/** One seeded cycle of one service's live checks. */
export interface DemoCheckCycle {
  service: DemoService;
  at: Date;
  outcomes: PlatformMetricsSeedCheckOutcome[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A cycle every six hours over the last week: enough for a believable "since". */
const CYCLE_EVERY = 6 * HOUR;
const HISTORY = 7 * DAY;

type CheckId = PlatformMetricsSeedCheckOutcome['checkId'];
type Verdict = Pick<PlatformMetricsSeedCheckOutcome, 'status' | 'detail'>;

function passing(id: CheckId, name: string): Verdict {
  const host = `${name}.apps.acme.example`;
  const details: Record<CheckId, string> = {
    image: 'The latest production deployment names its image by digest.',
    pipeline:
      "The latest production deployment was reported by the service's pipeline.",
    health: `https://${host}/readyz answered 200.`,
    dns: `${host} resolves.`,
    tls: `The certificate for ${host} is trusted and valid for more than 14 days.`,
    metrics: `Prometheus scrapes ${name}: up is 1.`,
    alerts: `Prometheus holds the ${name}.golden-path rule group, healthy.`,
    logs: `Loki holds lines from ${name} in the last 15 minutes.`,
  };
  return { status: 'pass', detail: details[id] };
}

/**
 * What goes wrong, per service in name order: the first stays green, the
 * second's certificate stopped renewing two days ago, the third's logs stopped
 * arriving yesterday, the fourth's metrics were missing for its first day and
 * then fixed. From the fifth on the story repeats.
 */
const STORIES: Array<
  (name: string, age: number, now: number) => Partial<Record<CheckId, Verdict>>
> = [
  () => ({}),
  (name, age, now) =>
    age <= 2 * DAY
      ? {
          tls: {
            status: 'fail',
            detail: `The certificate for ${name}.apps.acme.example expires on ${new Date(
              now + 9 * DAY,
            )
              .toISOString()
              .slice(
                0,
                10,
              )}, within 14 days: cert-manager has not renewed it. Check the events of its Certificate (kubectl describe certificate ${name}).`,
          },
        }
      : {},
  (name, age) =>
    age <= DAY
      ? {
          logs: {
            status: 'fail',
            detail: `Loki holds no line from ${name} in the last 15 minutes: check that Fluent Bit runs on its nodes and that the service logs to stdout (see the golden path's logging doc).`,
          },
        }
      : {},
  (name, age) =>
    age >= HISTORY - DAY
      ? {
          metrics: {
            status: 'fail',
            detail: `Prometheus has no up series for ${name}: check that its ServiceMonitor carries the label prometheus: platform and that the port is named http.`,
          },
        }
      : {},
];

/**
 * A week of live-check cycles for the golden-path services, ending at `now`,
 * in time order: mostly passing, with a failing certificate and missing logs.
 */
export function generateDemoCheckHistory(options: {
  services: DemoService[];
  now: Date;
}): DemoCheckCycle[] {
  const now = options.now.getTime();
  const services = [...options.services].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  const cycles: DemoCheckCycle[] = [];
  for (let at = now - HISTORY; at <= now; at += CYCLE_EVERY) {
    for (const [index, service] of services.entries()) {
      const name = service.entityRef.split('/').pop()!;
      const story = STORIES[index % STORIES.length](name, now - at, now);
      cycles.push({
        service,
        at: new Date(at),
        outcomes: SERVICE_CHECK_IDS.map(checkId => ({
          checkId,
          ...(story[checkId] ?? passing(checkId, name)),
        })),
      });
    }
  }
  return cycles;
}
