import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type App, createApp } from '../src/app.ts';

const lines: string[] = [];
let server: App;
let base: string;

before(async () => {
  server = createApp({ write: line => lines.push(line) });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object', 'the server listens on a TCP port');
  base = `http://127.0.0.1:${address.port}`;
});

after(() => new Promise<void>((resolve, reject) => server.close(e => (e ? reject(e) : resolve()))));

test('/healthz answers ok', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('/readyz turns unready while draining', async () => {
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  server.drain();
  assert.equal((await fetch(`${base}/readyz`)).status, 503);
});

test('/metrics exposes request counters in Prometheus format', async () => {
  await fetch(`${base}/`);
  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /http_requests_total\{[^}]*route="\/"[^}]*code="200"[^}]*\} 1/);
  assert.match(text, /http_request_duration_seconds_bucket/);
  assert.match(text, /service="${{ values.name }}"/);
});

test('logs are JSON with service and the caller trace id', async () => {
  lines.length = 0;
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  await fetch(`${base}/missing`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  const last = lines.at(-1);
  assert.ok(last, 'the request was logged');
  const entry: Record<string, unknown> = JSON.parse(last);
  assert.equal(entry.service, '${{ values.name }}');
  assert.equal(entry.status, 404);
  assert.equal(entry.trace_id, traceId);
});
