import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRecordRequestAction } from './createRecordRequestAction';

describe('golden-path:record-request', () => {
  let server: http.Server;
  let status = 202;
  const received: Array<{ url?: string; authorization?: string; body: any }> =
    [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', chunk => (raw += chunk));
      req.on('end', () => {
        received.push({
          url: req.url,
          authorization: req.headers.authorization,
          body: JSON.parse(raw),
        });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status < 300 ? '{}' : '{"error":"nope"}');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    received.length = 0;
    status = 202;
  });

  const action = () =>
    createRecordRequestAction({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async () =>
          `http://127.0.0.1:${
            (server.address() as AddressInfo).port
          }/api/platform-metrics`,
        getExternalBaseUrl: async () => '',
      },
    });
  const input = {
    entityRef: 'component:default/orders',
    team: 'group:default/checkout',
    template: 'node-service',
    templateVersion: '1.0.0',
  };

  it('posts a service-request CDEvent keyed by the task id', async () => {
    const ctx = createMockActionContext({ input, task: { id: 'task-42' } });
    await action().handler(ctx);
    expect(received).toHaveLength(1);
    expect(received[0].url).toBe('/api/platform-metrics/v1/events');
    expect(received[0].authorization).toMatch(/^Bearer .+/);
    expect(received[0].body).toMatchObject({
      context: {
        id: 'task-42',
        version: '0.4.1',
        type: 'dev.cdeventsx.servicerequest.created.0.1.0',
      },
      subject: {
        id: 'component:default/orders',
        type: 'servicerequest',
        content: input,
      },
    });
    expect(ctx.output).toHaveBeenCalledWith('eventId', 'task-42');
  });

  it('fails the step when the metrics API refuses the event', async () => {
    status = 400;
    const ctx = createMockActionContext({ input, task: { id: 'task-43' } });
    await expect(action().handler(ctx)).rejects.toThrow(
      /refused the service request: 400/,
    );
  });

  it('posts nothing in a dry run', async () => {
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action().handler(ctx);
    expect(received).toHaveLength(0);
  });
});
