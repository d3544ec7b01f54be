import {
  startTestServer,
  type TestServer,
} from '../network/__testUtils__/startTestServer';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import { AlertsCheck } from './AlertsCheck';
import { PrometheusClient } from './PrometheusClient';

type Rule = {
  name: string;
  health: string;
  state?: string;
  lastError?: string;
};

function alertingRule(rule: Rule) {
  return {
    state: 'inactive',
    query: 'up == 0',
    duration: 300,
    labels: { severity: 'page' },
    annotations: {},
    alerts: [],
    lastError: '',
    evaluationTime: 0.0001,
    lastEvaluation: '2026-12-03T08:00:00Z',
    type: 'alerting',
    ...rule,
  };
}

function rulesAnswer(groups: Record<string, Rule[]>) {
  return {
    status: 'success',
    data: {
      groups: Object.entries(groups).map(([name, rules]) => ({
        name,
        file: '/etc/prometheus/rules.yml',
        rules: rules.map(alertingRule),
        interval: 30,
        limit: 0,
        evaluationTime: 0.001,
        lastEvaluation: '2026-12-03T08:00:00Z',
      })),
    },
  };
}

describe('AlertsCheck', () => {
  const signal = new AbortController().signal;
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function prometheusWithRules(groups: Record<string, Rule[]>) {
    server = await startTestServer((req, res) => {
      const url = new URL(req.url!, 'http://prometheus');
      if (url.pathname !== '/api/v1/rules') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(rulesAnswer(groups)));
    });
    return AlertsCheck.create({
      enabled: true,
      prometheus: PrometheusClient.create({
        baseUrl: `http://127.0.0.1:${server.port}`,
        headers: {},
        timeoutMs: 2000,
        maxResponseBytes: 64 * 1024,
      }),
    });
  }

  const allOk: Rule[] = [
    { name: 'HighErrorRatio', health: 'ok' },
    { name: 'Unavailable', health: 'ok' },
  ];

  it('passes when the generated group is loaded and every rule evaluates', async () => {
    const check = await prometheusWithRules({
      'payments.golden-path': allOk,
      'orders.golden-path': [{ name: 'Broken', health: 'err' }],
    });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'pass',
      detail: `Prometheus at http://127.0.0.1:${
        server!.port
      } evaluates the 2 alerting rules of payments.golden-path.`,
    });
    expect(server!.requests).toEqual([
      '/api/v1/rules?type=alert&rule_group%5B%5D=payments.golden-path',
    ]);
  });

  it('passes and names a firing alert', async () => {
    const check = await prometheusWithRules({
      'payments.golden-path': [
        { name: 'Unavailable', health: 'ok', state: 'firing' },
      ],
    });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('pass');
    expect(outcome.detail).toContain('Firing now: Unavailable.');
  });

  it('uses the entity name when there is no prometheus.io/rule annotation', async () => {
    const check = await prometheusWithRules({ 'payments.golden-path': allOk });

    const outcome = await check.run(
      { ...probeTarget(), prometheusRule: undefined },
      { signal },
    );

    expect(outcome.status).toBe('pass');
  });

  it('fails when the group is missing', async () => {
    const check = await prometheusWithRules({ 'orders.golden-path': allOk });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'has no alerting rules in the group payments.golden-path',
    );
  });

  it('fails naming a rule that cannot be evaluated and its error', async () => {
    const check = await prometheusWithRules({
      'payments.golden-path': [
        { name: 'HighErrorRatio', health: 'ok' },
        {
          name: 'CrashLooping',
          health: 'err',
          lastError: 'many-to-many matching not allowed',
        },
      ],
    });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'cannot evaluate CrashLooping (many-to-many matching not allowed) in payments.golden-path',
    );
  });

  it('reports unknown while a rule has not been evaluated yet', async () => {
    const check = await prometheusWithRules({
      'payments.golden-path': [{ name: 'Unavailable', health: 'unknown' }],
    });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('unknown');
    expect(outcome.detail).toContain('not evaluated Unavailable yet');
  });

  it('reports unknown when Prometheus cannot be reached', async () => {
    const check = await prometheusWithRules({});
    const port = server!.port;
    await server!.close();
    server = undefined;

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'unknown',
      detail: `Prometheus at http://127.0.0.1:${port} could not be reached (ECONNREFUSED). The check will try again.`,
    });
  });

  it('is not configured without a Prometheus', () => {
    expect(AlertsCheck.create({ enabled: true }).configured).toBe(false);
  });
});
