import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ChecksService } from './ChecksService';

/**
 * Schedules a cycle of live checks every `intervalMinutes`, on one replica at a
 * time (global scope); nothing when checks are off.
 */
export async function scheduleServiceChecks(options: {
  scheduler: SchedulerService;
  checks: ChecksService;
  intervalMinutes: number;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, checks, intervalMinutes, logger } = options;
  if (!checks.enabled) {
    logger.info('Live checks are off (platformMetrics.checks.enabled)');
    return;
  }
  await scheduler.scheduleTask({
    id: 'platform-metrics-service-checks',
    scope: 'global',
    frequency: { minutes: intervalMinutes },
    // Not at every start: replicas restart often, and a fresh start of the
    // development portal keeps its seeded history until the first interval ends.
    initialDelay: { minutes: intervalMinutes },
    // A cycle that outlives its interval is cut off: the next one starts afresh.
    timeout: { minutes: intervalMinutes },
    fn: async () => {
      await checks.runCycle();
    },
  });
}
