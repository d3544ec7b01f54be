import type { IncomingMessage } from 'node:http';
import { probeTarget } from '../network/__testUtils__/probeTarget';
import {
  startTestServer,
  type TestServer,
} from '../network/__testUtils__/startTestServer';
import { LogsCheck } from './LogsCheck';
import { LokiLogsBackend } from './LokiLogsBackend';

const NOW = new Date('2026-12-03T08:00:00.000Z');
const nanos = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;

function streams(...lines: Array<[Date, string]>) {
  return {
    status: 'success',
    data: {
      resultType: 'streams',
      result:
        lines.length === 0
          ? []
          : [
              {
                stream: { service: 'payments', team: 'payments-team' },
                values: lines.map(([at, line]) => [nanos(at), line]),
              },
            ],
      stats: { summary: { totalLinesProcessed: lines.length } },
    },
  };
}

describe('LogsCheck with LokiLogsBackend', () => {
  const signal = new AbortController().signal;
  let server: TestServer | undefined;
  let received: IncomingMessage[];

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function lokiAnswering(
    status: number,
    body: unknown,
    options: { tenant?: string; serviceLabel?: string } = {},
  ) {
    received = [];
    server = await startTestServer((req, res) => {
      received.push(req);
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    return LogsCheck.create({
      enabled: true,
      windowMinutes: 15,
      now: () => NOW,
      backend: LokiLogsBackend.create({
        baseUrl: `http://127.0.0.1:${server.port}`,
        headers: { authorization: 'Basic bG9raTpzZWNyZXQ=' },
        tenant: options.tenant,
        serviceLabel: options.serviceLabel ?? 'service',
        timeoutMs: 2000,
        maxResponseBytes: 64 * 1024,
      }),
    });
  }

  it('passes with the newest line, asking for the last 15 minutes of the service', async () => {
    const check = await lokiAnswering(
      200,
      streams(
        [new Date('2026-12-03T07:59:30.000Z'), '{"msg":"listening"}'],
        [new Date('2026-12-03T07:50:00.000Z'), '{"msg":"started"}'],
      ),
      { tenant: 'platform' },
    );

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'pass',
      detail: `Loki at http://127.0.0.1:${
        server!.port
      } has lines for {service="payments"}; the newest at 2026-12-03T07:59:30.000Z.`,
    });
    const url = new URL(received[0].url!, 'http://loki');
    expect(url.pathname).toBe('/loki/api/v1/query_range');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      query: '{service="payments"}',
      start: nanos(new Date('2026-12-03T07:45:00.000Z')),
      limit: '1',
      direction: 'backward',
    });
    expect(received[0].headers['x-scope-orgid']).toBe('platform');
    expect(received[0].headers.authorization).toBe('Basic bG9raTpzZWNyZXQ=');
  });

  it('uses the configured label name', async () => {
    const check = await lokiAnswering(200, streams(), {
      serviceLabel: 'app',
    });

    await check.run(probeTarget(), { signal });

    expect(
      new URL(received[0].url!, 'http://loki').searchParams.get('query'),
    ).toBe('{app="payments"}');
  });

  it('fails saying what to check when there is no line in the window', async () => {
    const check = await lokiAnswering(200, streams());

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toBe(
      `Loki at http://127.0.0.1:${
        server!.port
      } has no line for {service="payments"} in the last 15 minutes. Check that the service writes JSON lines to stdout and that its pods keep the logging annotations of the golden path's Deployment.`,
    );
  });

  it("reports unknown with Loki's message when it refuses the query", async () => {
    const check = await lokiAnswering(401, 'no org id\n');

    const outcome = await check.run(probeTarget(), { signal });

    expect(outcome).toEqual({
      status: 'unknown',
      detail: `Loki at http://127.0.0.1:${
        server!.port
      } answered 401: no org id. The check will try again.`,
    });
  });

  it('reports unknown for a result that is not streams', async () => {
    const check = await lokiAnswering(200, {
      status: 'success',
      data: { resultType: 'matrix', result: [] },
    });

    expect((await check.run(probeTarget(), { signal })).status).toBe('unknown');
  });

  it('is not configured without a logs backend', () => {
    const check = LogsCheck.create({ enabled: true, windowMinutes: 15 });
    expect(check.configured).toBe(false);
  });
});
