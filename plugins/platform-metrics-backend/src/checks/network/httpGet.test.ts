import {
  startTestServer,
  type TestServer,
} from './__testUtils__/startTestServer';
import { httpGet } from './httpGet';
import { withDeadline } from './withDeadline';

describe('httpGet', () => {
  let server: TestServer | undefined;
  const hosts: (string | undefined)[] = [];

  afterEach(async () => {
    await server?.close();
    server = undefined;
    hosts.length = 0;
  });

  it('connects to the pinned address without resolving the hostname again', async () => {
    server = await startTestServer((req, res) => {
      hosts.push(req.headers.host);
      res.end('hello');
    });
    // `.invalid` never resolves (RFC 6761): only the pinned address can work.
    const url = new URL(`http://service.invalid:${server.port}/readyz`);

    const result = await httpGet({
      url,
      address: '127.0.0.1',
      signal: new AbortController().signal,
      maxResponseBytes: 100,
    });

    expect(result).toMatchObject({
      kind: 'response',
      status: 200,
      truncated: false,
    });
    expect(result.kind === 'response' && result.body.toString()).toBe('hello');
    expect(hosts).toEqual([`service.invalid:${server.port}`]);
  });

  it('returns a redirect as it is', async () => {
    server = await startTestServer((_req, res) => {
      res.statusCode = 301;
      res.setHeader('location', '/elsewhere');
      res.end();
    });

    const result = await httpGet({
      url: new URL(`http://127.0.0.1:${server.port}/readyz`),
      signal: new AbortController().signal,
      maxResponseBytes: 100,
    });

    expect(result).toMatchObject({ kind: 'response', status: 301 });
    expect(server.requests).toEqual(['/readyz']);
  });

  it('keeps exactly the first maxResponseBytes of a longer body', async () => {
    server = await startTestServer((_req, res) => {
      res.write('0123456789');
      res.end('abcdefghij');
    });

    const result = await httpGet({
      url: new URL(`http://127.0.0.1:${server.port}/`),
      signal: new AbortController().signal,
      maxResponseBytes: 15,
    });

    expect(result).toMatchObject({ kind: 'response', truncated: true });
    expect(result.kind === 'response' && result.body.toString()).toBe(
      '0123456789abcde',
    );
  });

  it('gives up at the deadline when the body never ends', async () => {
    server = await startTestServer((_req, res) => {
      res.write('partial');
    });

    const result = await httpGet({
      url: new URL(`http://127.0.0.1:${server.port}/`),
      signal: withDeadline(new AbortController().signal, 200),
      maxResponseBytes: 100,
    });

    expect(result).toEqual({
      kind: 'error',
      reason: 'aborted',
      message: 'aborted',
    });
  });
});
