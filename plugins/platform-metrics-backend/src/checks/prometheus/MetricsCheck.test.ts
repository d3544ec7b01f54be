import type { IncomingMessage, ServerResponse } from 'node:http';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import {
  startTestServer,
  type TestServer,
} from '../network/__testUtils__/startTestServer';
import { MetricsCheck } from './MetricsCheck';
import { PrometheusClient } from './PrometheusClient';

function vector(...samples: Array<[Record<string, string>, string]>) {
  return {
    status: 'success',
    data: {
      resultType: 'vector',
      result: samples.map(([metric, value]) => ({
        metric: { __name__: 'up', ...metric },
        value: [1764748800.123, value],
      })),
    },
  };
}

describe('MetricsCheck', () => {
  const signal = new AbortController().signal;
  let server: TestServer | undefined;
  let seen: { query: string | null; authorization?: string }[];

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function prometheusAnswering(
    answer: (req: IncomingMessage, res: ServerResponse) => void,
    options: { timeoutMs?: number; maxResponseBytes?: number } = {},
  ) {
    seen = [];
    server = await startTestServer((req, res) => {
      const url = new URL(req.url!, 'http://prometheus');
      seen.push({
        query: url.searchParams.get('query'),
        authorization: req.headers.authorization,
      });
      if (url.pathname !== '/api/v1/query') {
        res.statusCode = 404;
        res.end();
        return;
      }
      answer(req, res);
    });
    return MetricsCheck.create({
      enabled: true,
      prometheus: PrometheusClient.create({
        baseUrl: `http://127.0.0.1:${server.port}`,
        headers: { authorization: 'Bearer prom-token' },
        timeoutMs: options.timeoutMs ?? 2000,
        maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
      }),
    });
  }

  const json =
    (body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };

  it('passes when up is 1, asking by the job the ServiceMonitor gives the service', async () => {
    const check = await prometheusAnswering(
      json(
        vector(
          [
            { job: 'payments', namespace: 'payments-production', pod: 'a' },
            '1',
          ],
          [
            { job: 'payments', namespace: 'payments-production', pod: 'b' },
            '0',
          ],
        ),
      ),
    );

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'pass',
      detail: `Prometheus at http://127.0.0.1:${
        server!.port
      } scrapes the service: up{job="payments"} is 1 for 1 of 2 targets.`,
    });
    expect(seen).toEqual([
      { query: 'up{job="payments"}', authorization: 'Bearer prom-token' },
    ]);
  });

  it('counts only the production namespace when the series carry namespaces', async () => {
    const check = await prometheusAnswering(
      json(vector([{ job: 'payments', namespace: 'payments-staging' }, '1'])),
    );

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'scrapes up{job="payments"} only in payments-staging, not in payments-production',
    );
  });

  it('counts every series of a scrape config without namespace labels', async () => {
    const check = await prometheusAnswering(
      json(vector([{ job: 'payments', instance: '127.0.0.1:8080' }, '1'])),
    );

    expect((await check.run(probeTarget(), { signal })).status).toBe('pass');
  });

  it('fails with the runbook when every target is down', async () => {
    const check = await prometheusAnswering(
      json(vector([{ job: 'payments' }, '0'])),
    );

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'up{job="payments"} is 0 for all 1 targets. See the service\'s Unavailable runbook.',
    );
  });

  it('fails saying what to check when Prometheus has no series', async () => {
    const check = await prometheusAnswering(json(vector()));

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toContain(
      'has no up{job="payments"} series: it does not scrape the service',
    );
  });

  it('escapes the label value taken from the catalog', async () => {
    const check = await prometheusAnswering(json(vector()));

    await check.run(
      { ...probeTarget(), kubernetesId: 'x"} or vector(1) or up{job="y' },
      { signal },
    );

    expect(seen[0].query).toBe('up{job="x\\"} or vector(1) or up{job=\\"y"}');
  });

  it('reports unknown with the Prometheus error when the query is refused', async () => {
    const check = await prometheusAnswering((_req, res) => {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: 'invalid parameter "query"',
        }),
      );
    });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'unknown',
      detail: `Prometheus at http://127.0.0.1:${
        server!.port
      } answered 400: invalid parameter "query". The check will try again.`,
    });
  });

  it('reports unknown for an answer in another shape', async () => {
    const check = await prometheusAnswering(
      json({ status: 'success', data: { resultType: 'matrix', result: [] } }),
    );

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('unknown');
    expect(outcome.detail).toContain('with JSON not in the documented shape');
  });

  it('reports unknown when the answer is larger than the limit', async () => {
    const many = Array.from(
      { length: 200 },
      (_, i) =>
        [{ job: 'payments', pod: `pod-${i}` }, '1'] as [
          Record<string, string>,
          string,
        ],
    );
    const check = await prometheusAnswering(json(vector(...many)), {
      maxResponseBytes: 2048,
    });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('unknown');
    expect(outcome.detail).toContain(
      'answered more than 2048 bytes, so the answer was cut',
    );
  });

  it('reports unknown when Prometheus does not answer in time', async () => {
    const check = await prometheusAnswering(() => {}, { timeoutMs: 200 });

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'unknown',
      detail: `Prometheus at http://127.0.0.1:${
        server!.port
      } did not answer within 200 ms. The check will try again.`,
    });
  });

  it('is not configured without a Prometheus', () => {
    expect(MetricsCheck.create({ enabled: true }).configured).toBe(false);
    expect(
      MetricsCheck.create({
        enabled: false,
        prometheus: PrometheusClient.create({
          baseUrl: 'http://127.0.0.1:9',
          headers: {},
          timeoutMs: 100,
          maxResponseBytes: 100,
        }),
      }).configured,
    ).toBe(false);
  });
});
