import { ResponseError } from '@backstage/errors';
import { PlatformMetricsClient } from './PlatformMetricsClient';

const period = {
  from: '2026-10-01T00:00:00.000Z',
  to: '2027-01-01T00:00:00.000Z',
};

function setup(response: Response) {
  const fetch = jest.fn(async () => response);
  const client = new PlatformMetricsClient({
    discoveryApi: {
      getBaseUrl: async id => `http://backend/api/${id}`,
    },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

const calledUrl = (fetch: jest.Mock) => new URL(fetch.mock.calls[0][0]);

describe('PlatformMetricsClient', () => {
  it('sends the period, filters and the baseline flag to /v1/summary', async () => {
    const { client, fetch } = setup(json({ ok: true }));
    await client.getSummary({
      ...period,
      team: 'group:default/payments',
      template: 'node-service',
      baseline: true,
    });
    const url = calledUrl(fetch);
    expect(url.pathname).toBe('/api/platform-metrics/v1/summary');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ...period,
      team: 'group:default/payments',
      template: 'node-service',
      baseline: 'true',
    });
  });

  it('sends only the parameters each endpoint accepts', async () => {
    const query = {
      ...period,
      team: 'group:default/payments',
      template: 'node-service',
      baseline: true,
      limit: 500,
    };
    let { client, fetch } = setup(json({}));
    await client.getDataQuality(query);
    expect([...calledUrl(fetch).searchParams.keys()].sort()).toEqual([
      'from',
      'to',
    ]);

    ({ client, fetch } = setup(json({ items: [] })));
    await client.listIncidents({ ...query, state: 'open' });
    expect(Object.fromEntries(calledUrl(fetch).searchParams)).toEqual({
      ...period,
      team: 'group:default/payments',
      baseline: 'true',
      limit: '500',
      state: 'open',
    });

    ({ client, fetch } = setup(json({ bucket: 'quarter', points: [] })));
    await client.getTrend(query, 'quarter');
    expect(Object.fromEntries(calledUrl(fetch).searchParams)).toEqual({
      ...period,
      team: 'group:default/payments',
      template: 'node-service',
      baseline: 'true',
      bucket: 'quarter',
    });

    ({ client, fetch } = setup(json({ items: [] })));
    await client.listOffPathServices(query);
    expect([...calledUrl(fetch).searchParams.keys()].sort()).toEqual([
      'from',
      'team',
      'to',
    ]);
  });

  it('throws a ResponseError with the backend message', async () => {
    const { client } = setup(
      // The shape of Backstage's error handler.
      json(
        {
          error: { name: 'InputError', message: 'from: must be before to' },
          request: { method: 'GET', url: '/v1/summary' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await client.getSummary(period).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.body.error.message).toBe('from: must be before to');
  });

  it('posts survey answers as JSON and accepts an empty-bodied success', async () => {
    const { client, fetch } = setup(new Response(null, { status: 201 }));
    await client.submitSurveyResponse('c/1', {
      answers: { satisfaction: 4 },
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(
      'http://backend/api/platform-metrics/v1/survey/campaigns/c%2F1/responses',
    );
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({
      answers: { satisfaction: 4 },
    });
  });

  it('lists the ingestion sources without parameters', async () => {
    const items = [
      {
        id: 'opsgenie',
        displayName: 'Opsgenie',
        path: '/v1/webhooks/opsgenie',
        authentication: 'token',
        setup: 'Outgoing webhook',
        attributionAnnotations: ['opsgenie.com/component-selector'],
      },
    ];
    const { client, fetch } = setup(json({ items }));
    await expect(client.listIngestionSources()).resolves.toEqual({ items });
    expect(calledUrl(fetch).href).toBe(
      'http://backend/api/platform-metrics/v1/ingestion/sources',
    );
  });

  it('reads the golden-path versions and drift without parameters', async () => {
    const { client, fetch } = setup(json({ items: [] }));
    await expect(client.getGoldenPathVersions()).resolves.toEqual({
      items: [],
    });
    expect(calledUrl(fetch).href).toBe(
      'http://backend/api/platform-metrics/v1/golden-paths/versions',
    );
    const drift = setup(json({ items: [] }));
    await drift.client.getGoldenPathDrift();
    expect(calledUrl(drift.fetch).href).toBe(
      'http://backend/api/platform-metrics/v1/golden-paths/drift',
    );
  });

  it('posts baseline CSV as text/csv with the dry-run flag', async () => {
    const { client, fetch } = setup(
      json({
        dryRun: true,
        rows: 1,
        valid: 1,
        errors: [],
        preview: [],
        stored: 0,
        duplicates: 0,
      }),
    );
    await client.importBaseline({
      kind: 'incidents',
      dryRun: true,
      body: 'started_at,resolved_at,team\n',
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(
      'http://backend/api/platform-metrics/v1/baseline?kind=incidents&dryRun=true',
    );
    expect(init.headers).toEqual({ 'Content-Type': 'text/csv' });
    expect(init.body).toBe('started_at,resolved_at,team\n');
  });
  it('posts usage events as JSON, with keepalive only when asked', async () => {
    const batch = {
      events: [
        {
          action: 'navigate' as const,
          subject: '/catalog',
          occurredAt: '2026-12-01T10:00:00.000Z',
        },
      ],
    };
    const sent = async (options?: { keepalive?: boolean }) => {
      const { client, fetch } = setup(new Response(null, { status: 202 }));
      await client.sendUsageEvents(batch, options);
      return fetch.mock.calls[0] as unknown as [string, RequestInit];
    };
    const [url, init] = await sent();
    expect(url).toBe('http://backend/api/platform-metrics/v1/usage/events');
    expect(init.method).toBe('POST');
    expect(init.keepalive).toBeUndefined();
    expect(JSON.parse(init.body as string)).toEqual(batch);

    const [, keepaliveInit] = await sent({ keepalive: true });
    expect(keepaliveInit.keepalive).toBe(true);
  });

  it('reads the template funnel and feature usage for a period only', async () => {
    let { client, fetch } = setup(json({ ...period, items: [] }));
    await client.getTemplateFunnel(period);
    expect(calledUrl(fetch).pathname).toBe(
      '/api/platform-metrics/v1/usage/templates',
    );
    expect(Object.fromEntries(calledUrl(fetch).searchParams)).toEqual(period);

    ({ client, fetch } = setup(json({ ...period, weekly: [] })));
    await client.getFeatureUsage(period);
    expect(calledUrl(fetch).pathname).toBe(
      '/api/platform-metrics/v1/usage/features',
    );
    expect(Object.fromEntries(calledUrl(fetch).searchParams)).toEqual(period);
  });
});
