import { generateDemoCheckHistory } from './generateDemoCheckHistory';

const NOW = new Date('2026-12-04T12:00:00Z');
const services = [
  'cart-service',
  'feature-flag-service',
  'notification-service',
  'shipping-service',
].map(name => ({
  entityRef: `component:default/${name}`,
  teamRef: 'group:default/checkout',
}));

/** The statuses of a service's check over time. */
function statuses(entityRef: string, checkId: string) {
  return generateDemoCheckHistory({ services, now: NOW })
    .filter(c => c.service.entityRef === entityRef)
    .map(c => c.outcomes.find(o => o.checkId === checkId)!.status);
}

describe('generateDemoCheckHistory', () => {
  it('gives every service a week of cycles in time order, ending now', () => {
    const cycles = generateDemoCheckHistory({ services, now: NOW });
    const times = cycles.map(c => c.at.getTime());

    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(cycles[cycles.length - 1].at).toEqual(NOW);
    expect(cycles).toHaveLength(services.length * 29);
    for (const cycle of cycles) expect(cycle.outcomes).toHaveLength(8);
  });

  it('tells a story: mostly passing, one certificate and one log stream failing now', () => {
    const last = generateDemoCheckHistory({ services, now: NOW }).slice(-4);
    const failingNow = last.flatMap(c =>
      c.outcomes
        .filter(o => o.status !== 'pass')
        .map(o => `${c.service.entityRef} ${o.checkId}`),
    );

    expect(failingNow).toEqual([
      'component:default/feature-flag-service tls',
      'component:default/notification-service logs',
    ]);
    expect(statuses('component:default/cart-service', 'tls')).not.toContain(
      'fail',
    );
    // Fixed after its first day: history shows a recovery.
    const metrics = statuses('component:default/shipping-service', 'metrics');
    expect(metrics[0]).toBe('fail');
    expect(metrics[metrics.length - 1]).toBe('pass');
  });

  it('says in the detail what failed and what to do', () => {
    const tls = generateDemoCheckHistory({ services, now: NOW })
      .slice(-4)
      .flatMap(c => c.outcomes)
      .find(o => o.status === 'fail' && o.checkId === 'tls');

    expect(tls?.detail).toMatch(
      /expires on 2026-12-13.*kubectl describe certificate feature-flag-service/,
    );
  });
});
