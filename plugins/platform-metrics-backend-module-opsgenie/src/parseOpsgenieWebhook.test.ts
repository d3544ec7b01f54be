import { InputError } from '@backstage/errors';
import { parseOpsgenieWebhook } from './parseOpsgenieWebhook';

const ALERT_ID = '5f2c4a1e-8d3b-4c7e-9a10-2b6e1f0c3d4a-1760954400123';

/**
 * An outgoing-webhook delivery as Opsgenie sends it: `createdAt` in
 * milliseconds, `updatedAt` in nanoseconds (beyond 2^53), `teams` as ids and the
 * routed team's name beside them. Written as text, since a JS number literal
 * could not hold `updatedAt`.
 */
function delivery(
  action: string,
  updatedAtNs: string,
  overrides: { alert?: string; tags?: string } = {},
): Buffer {
  return Buffer.from(`{
  "action": "${action}",
  "alert": {
    "alertId": "${ALERT_ID}",
    "message": "Payments API: error ratio above 5 %",
    "tags": ${overrides.tags ?? '["payments", "production", "critical"]'},
    "tinyId": "1042",
    "entity": "payments-api",
    "alias": "payments-high-error-ratio",
    "createdAt": 1760954400123,
    "updatedAt": ${updatedAtNs},
    "username": "Alertmanager",
    "userId": "8d1c0a3e-52b4-4f0e-9c55-6f2d1b7a9e01",
    "description": "More than 5 % of requests failed for 5 minutes.",
    "team": "Payments",
    "responders": [
      { "id": "b7e3d2c1-0f4a-4e8b-a6d5-3c2b1a0f9e8d", "type": "team", "name": "Payments" }
    ],
    "teams": ["b7e3d2c1-0f4a-4e8b-a6d5-3c2b1a0f9e8d"],
    "actions": [],
    "details": { "runbook": "https://portal.acme.example/docs/default/component/payments-api" },
    "priority": "P1",
    "source": "Alertmanager"${overrides.alert ?? ''}
  },
  "source": { "name": "", "type": "API" },
  "integrationName": "Platform metrics",
  "integrationId": "4e0f2a6b-9c1d-4b3e-8f7a-0d5c6b2a1e93",
  "integrationType": "Webhook"
}`);
}

const CREATED = '1760954400123000000';
const ACKNOWLEDGED = '1760954580456999999';
const CLOSED = '1760955300789000000';

describe('parseOpsgenieWebhook', () => {
  it('reads a Create as the start of an incident, attributed by tag then team', () => {
    const { records, ignored } = parseOpsgenieWebhook(
      delivery('Create', CREATED),
    );
    expect(ignored).toBe(0);
    expect(records).toEqual([
      {
        kind: 'incident',
        source: 'opsgenie',
        deliveryKey: `${ALERT_ID}:create`,
        incidentKey: ALERT_ID,
        type: 'triggered',
        occurredAt: new Date('2025-10-20T10:00:00.123Z'),
        severity: 'P1',
        title: 'Payments API: error ratio above 5 %',
        service: {
          annotation: ['payments', 'production', 'critical']
            .flatMap(tag => [`tag:"${tag}"`, `tag:${tag}`])
            .map(value => ({ key: 'opsgenie.com/component-selector', value }))
            .concat(
              ['Payments', 'b7e3d2c1-0f4a-4e8b-a6d5-3c2b1a0f9e8d'].map(
                value => ({ key: 'opsgenie.com/team', value }),
              ),
            ),
        },
      },
    ]);
  });

  it('reads nanosecond timestamps beyond 2^53 without losing precision', () => {
    // As a double, 1760954580456999999 is 1760954580457000000: a millisecond later.
    expect(Number(ACKNOWLEDGED)).toBe(1760954580457000000);
    const { records } = parseOpsgenieWebhook(
      delivery('Acknowledge', ACKNOWLEDGED),
    );
    expect(records.map(r => [r.type, r.occurredAt.toISOString()])).toEqual([
      ['triggered', '2025-10-20T10:00:00.123Z'],
      ['acknowledged', '2025-10-20T10:03:00.456Z'],
    ]);
    expect(records[1].deliveryKey).toBe(
      `${ALERT_ID}:acknowledge:1760954580456999999`,
    );
  });

  it('reads a Close as the resolution, with the start it reports', () => {
    const { records } = parseOpsgenieWebhook(delivery('Close', CLOSED));
    expect(
      records.map(r => [r.type, r.deliveryKey, r.occurredAt.toISOString()]),
    ).toEqual([
      ['triggered', `${ALERT_ID}:create`, '2025-10-20T10:00:00.123Z'],
      ['resolved', `${ALERT_ID}:close`, '2025-10-20T10:15:00.789Z'],
    ]);
  });

  it('gives a Close that arrives before its Create the keys the Create has', () => {
    const close = parseOpsgenieWebhook(delivery('Close', CLOSED)).records;
    const create = parseOpsgenieWebhook(delivery('Create', CREATED)).records;
    // Stored first, the Close leaves the late Create nothing new to add.
    expect(close.map(r => r.deliveryKey)).toContain(create[0].deliveryKey);
    expect(close[0]).toEqual(create[0]);
  });

  it('gives a redelivery the same keys, and a second acknowledgement new ones', () => {
    const keys = (raw: Buffer) =>
      parseOpsgenieWebhook(raw).records.map(r => r.deliveryKey);
    expect(keys(delivery('Close', CLOSED))).toEqual(
      keys(delivery('Close', CLOSED)),
    );
    expect(keys(delivery('Acknowledge', ACKNOWLEDGED))[1]).not.toBe(
      keys(delivery('Acknowledge', '1760954900000000000'))[1],
    );
  });

  it.each(['AddNote', 'UnAcknowledge', 'Delete', 'Escalate', 'constructor'])(
    'ignores the %s action',
    action => {
      expect(parseOpsgenieWebhook(delivery(action, CREATED))).toEqual({
        records: [],
        ignored: 1,
      });
    },
  );

  it('accepts an alert without tags or teams, leaving it unattributed', () => {
    const raw = Buffer.from(
      JSON.stringify({
        action: 'Create',
        alert: { alertId: 'a-1', createdAt: 1760954400123 },
      }),
    );
    expect(parseOpsgenieWebhook(raw).records[0]).toMatchObject({
      incidentKey: 'a-1',
      service: { annotation: [] },
    });
  });

  it.each([
    [{ alert: {} }, 'action: required'],
    [{ action: 'Create' }, 'alert: required'],
    [
      { action: 'Create', alert: { createdAt: 1760954400123 } },
      'alert.alertId: required',
    ],
    [
      { action: 'Create', alert: { alertId: 'a-1' } },
      'alert.createdAt: required',
    ],
    [
      { action: 'Close', alert: { alertId: 'a-1', createdAt: 1760954400123 } },
      'alert.updatedAt: required',
    ],
    [
      {
        action: 'Create',
        alert: { alertId: 'a-1', createdAt: '2025-10-20T10:00:00Z' },
      },
      'alert.createdAt: expected epoch milliseconds or nanoseconds',
    ],
    [
      { action: 'Create', alert: { alertId: 'a-1', createdAt: 1.5 } },
      'alert.createdAt: expected epoch milliseconds or nanoseconds',
    ],
    [
      {
        action: 'Create',
        alert: { alertId: 'a-1', createdAt: 1760954400123, tags: 'payments' },
      },
      'alert.tags: expected an array, got a string',
    ],
  ])('refuses %j with a 400 naming the field', (body, message) => {
    const parse = () => parseOpsgenieWebhook(Buffer.from(JSON.stringify(body)));
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(`Invalid Opsgenie webhook: ${message}`);
  });

  it('refuses a timestamp no date can hold', () => {
    expect(() =>
      parseOpsgenieWebhook(delivery('Close', '99999999999999999999999999999')),
    ).toThrow('alert.updatedAt: expected epoch milliseconds or nanoseconds');
  });
});
