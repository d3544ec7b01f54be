import { InputError } from '@backstage/errors';
import { parsePagerDutyWebhook } from './parsePagerDutyWebhook';

const reference = (
  type: string,
  id: string,
  summary: string,
  path: string,
) => ({
  html_url: `https://acme.pagerduty.com/${path}/${id}`,
  id,
  self: `https://api.pagerduty.com/${path}/${id}`,
  summary,
  type,
});

// Shaped like the v3 webhook payload example in PagerDuty's developer docs.
const incidentWebhook = (eventType = 'incident.triggered') => ({
  event: {
    id: '01EZ9VSGWRN3PRLK6VH7Q0A7YF',
    event_type: eventType,
    resource_type: 'incident',
    occurred_at: '2024-05-14T11:02:31.482Z',
    agent: reference('user_reference', 'PXPGF42', 'Jürgen Groß', 'users'),
    client: { name: 'PagerDuty' },
    data: {
      id: 'Q2K7TZ3NF8XR1B',
      type: 'incident',
      self: 'https://api.pagerduty.com/incidents/Q2K7TZ3NF8XR1B',
      html_url: 'https://acme.pagerduty.com/incidents/Q2K7TZ3NF8XR1B',
      number: 4711,
      status: 'triggered',
      incident_key: '6f1c0e2b9a4d4b5f8c3e7a1d2b0c9e8f',
      created_at: '2024-05-14T11:02:31Z',
      title: 'Zahlungen schlagen fehl – Fehlerquote über 5 % 💳',
      service: reference(
        'service_reference',
        'PIJ90N7',
        'Payments API',
        'services',
      ),
      assignees: [
        reference('user_reference', 'PTUXL6G', 'On-call engineer', 'users'),
      ],
      escalation_policy: reference(
        'escalation_policy_reference',
        'PUS0KTE',
        'Payments',
        'escalation_policies',
      ),
      teams: [reference('team_reference', 'PFCVPS0', 'Payments', 'teams')],
      priority: reference(
        'priority_reference',
        'PSO75BM',
        'P1',
        'priorities',
      ) as Record<string, unknown> | null,
      urgency: 'high',
      conference_bridge: {
        conference_number: '+1 1234123412,,987654321#',
        conference_url: 'https://meet.acme.example/payments',
      },
      resolve_reason: null,
    } as Record<string, unknown>,
  },
});

const WEBHOOK_ID = '2f0c7b5e-9a1d-4c3b-8e6f-1a2b3c4d5e6f';

describe('parsePagerDutyWebhook', () => {
  it('reads incident.triggered', () => {
    expect(parsePagerDutyWebhook(incidentWebhook(), WEBHOOK_ID)).toEqual({
      records: [
        {
          kind: 'incident',
          source: 'pagerduty',
          deliveryKey: WEBHOOK_ID,
          incidentKey: 'Q2K7TZ3NF8XR1B',
          type: 'triggered',
          occurredAt: new Date('2024-05-14T11:02:31.482Z'),
          service: {
            annotation: { key: 'pagerduty.com/service-id', value: 'PIJ90N7' },
          },
          severity: 'P1',
          title: 'Zahlungen schlagen fehl – Fehlerquote über 5 % 💳',
          url: 'https://acme.pagerduty.com/incidents/Q2K7TZ3NF8XR1B',
        },
      ],
      ignored: 0,
    });
  });

  it.each([
    ['incident.acknowledged', 'acknowledged'],
    ['incident.resolved', 'resolved'],
    ['incident.reopened', 'reopened'],
  ])('reads %s', (eventType, type) => {
    const { records } = parsePagerDutyWebhook(
      incidentWebhook(eventType),
      WEBHOOK_ID,
    );
    expect(records[0]).toMatchObject({ type, incidentKey: 'Q2K7TZ3NF8XR1B' });
  });

  it('uses the urgency when the incident has no priority', () => {
    const body = incidentWebhook();
    body.event.data.priority = null;
    expect(parsePagerDutyWebhook(body, WEBHOOK_ID).records[0]).toMatchObject({
      severity: 'high',
    });
    delete body.event.data.priority;
    expect(parsePagerDutyWebhook(body, WEBHOOK_ID).records[0]).toMatchObject({
      severity: 'high',
    });
  });

  it('falls back to the event id without an X-Webhook-Id', () => {
    expect(
      parsePagerDutyWebhook(incidentWebhook()).records[0].deliveryKey,
    ).toBe('01EZ9VSGWRN3PRLK6VH7Q0A7YF');
    expect(
      parsePagerDutyWebhook(incidentWebhook(), '').records[0].deliveryKey,
    ).toBe('01EZ9VSGWRN3PRLK6VH7Q0A7YF');
  });

  it('ignores other event types', () => {
    const annotated = {
      event: {
        id: '01EZ9W0N4C1QF4V0M2S5D8Y6KP',
        event_type: 'incident.annotated',
        resource_type: 'incident',
        occurred_at: '2024-05-14T11:10:00.000Z',
        agent: reference('user_reference', 'PXPGF42', 'Jürgen Groß', 'users'),
        client: null,
        data: {
          incident: reference(
            'incident_reference',
            'Q2K7TZ3NF8XR1B',
            'Zahlungen schlagen fehl',
            'incidents',
          ),
          id: 'P2LA89X',
          content: 'Rollback läuft',
          trimmed: false,
          type: 'incident_note',
        },
      },
    };
    const serviceUpdated = {
      event: {
        id: '01BRB6ZP4M6T8ZG4X6BP63ZB9O',
        event_type: 'service.updated',
        resource_type: 'service',
        occurred_at: '2024-05-14T12:00:00.000Z',
        agent: null,
        client: null,
        data: {
          ...reference('service', 'PIJ90N7', 'Payments API', 'services'),
          alert_creation: 'create_alerts_and_incidents',
        },
      },
    };
    const ping = {
      event: {
        id: '01BRB6ZP4M6T8ZG4X6BP63ZBPP',
        event_type: 'pagey.ping',
        resource_type: 'pagey',
        occurred_at: '2024-05-14T12:00:00.000Z',
        agent: null,
        client: null,
        data: { message: 'Hello from your friend Pagey!', type: 'ping' },
      },
    };
    for (const body of [annotated, serviceUpdated, ping]) {
      expect(parsePagerDutyWebhook(body, WEBHOOK_ID)).toEqual({
        records: [],
        ignored: 1,
      });
    }
  });

  it('names the field at fault', () => {
    const badTime = incidentWebhook();
    badTime.event.occurred_at = 'Tue May 14 2024';
    expect(() => parsePagerDutyWebhook(badTime, WEBHOOK_ID)).toThrow(
      'Invalid PagerDuty webhook: event.occurred_at: expected an RFC 3339 timestamp',
    );

    const noIncidentId = incidentWebhook();
    delete noIncidentId.event.data.id;
    expect(() => parsePagerDutyWebhook(noIncidentId, WEBHOOK_ID)).toThrow(
      'event.data.id: required',
    );

    expect(() => parsePagerDutyWebhook({ messages: [] }, WEBHOOK_ID)).toThrow(
      InputError,
    );
    expect(() => parsePagerDutyWebhook({ messages: [] }, WEBHOOK_ID)).toThrow(
      'event: required',
    );
  });
});
