import { mockServices } from '@backstage/backend-test-utils';
import type { ChecksService } from './ChecksService';
import { scheduleServiceChecks } from './scheduleServiceChecks';

function checksDouble(enabled: boolean) {
  const runCycle = jest.fn(async () => ({
    services: 0,
    checksRun: 0,
    failedServices: 0,
  }));
  return {
    checks: { enabled, runCycle } as unknown as ChecksService,
    runCycle,
  };
}

describe('scheduleServiceChecks', () => {
  it('runs one cycle per interval on one replica', async () => {
    const scheduler = mockServices.scheduler.mock();
    const { checks, runCycle } = checksDouble(true);

    await scheduleServiceChecks({
      scheduler,
      checks,
      intervalMinutes: 7,
      logger: mockServices.logger.mock(),
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'platform-metrics-service-checks',
        scope: 'global',
        frequency: { minutes: 7 },
        initialDelay: { minutes: 7 },
      }),
    );
    const [{ fn }] = scheduler.scheduleTask.mock.calls[0];
    await fn(new AbortController().signal);
    expect(runCycle).toHaveBeenCalledTimes(1);
  });

  it('schedules nothing when checks are off', async () => {
    const scheduler = mockServices.scheduler.mock();

    await scheduleServiceChecks({
      scheduler,
      checks: checksDouble(false).checks,
      intervalMinutes: 5,
      logger: mockServices.logger.mock(),
    });

    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
