import { InputError } from '@backstage/errors';
import { parseAlertmanagerWebhook } from './parseAlertmanagerWebhook';

type Alert = {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
};

const firing = (): Alert => ({
  status: 'firing',
  labels: {
    alertname: 'PaymentsHighErrorRate',
    app_kubernetes_io_name: 'payments-api',
    backstage_entity: 'component:default/payments-api',
    instance: '10.4.2.17:8080',
    job: 'payments-api',
    namespace: 'payments',
    severity: 'critical',
  },
  annotations: {
    description: 'More than 5% of payment requests fail.',
    summary: 'Payments API error rate above 5%',
  },
  startsAt: '2024-05-14T11:02:31.482913702+02:00',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL:
    'http://prometheus.acme.example:9090/graph?g0.expr=payments_error_ratio+%3E+0.05&g0.tab=1',
  fingerprint: '1a30ba71cca2921f',
});

// Shaped like the version 4 payload in Alertmanager's webhook_config documentation.
const webhook = (alerts: Alert[], status = 'firing') => ({
  version: '4',
  groupKey: '{}/{severity="critical"}:{alertname="PaymentsHighErrorRate"}',
  truncatedAlerts: 0,
  status,
  receiver: 'backstage-platform-metrics',
  groupLabels: { alertname: 'PaymentsHighErrorRate' },
  commonLabels: { alertname: 'PaymentsHighErrorRate', severity: 'critical' },
  commonAnnotations: { summary: 'Payments API error rate above 5%' },
  externalURL: 'http://alertmanager.acme.example:9093',
  alerts,
});

// Shaped like a delivery from Alertmanager 0.15, before 0.19 added `fingerprint`
// (prometheus/alertmanager#1945): Go's field order, no `truncatedAlerts`, and a
// firing alert's `endsAt` in the future, as Prometheus sets it.
const preFingerprintWebhook = (status: 'firing' | 'resolved') => ({
  receiver: 'backstage-platform-metrics',
  status,
  alerts: [
    {
      status,
      labels: {
        alertname: 'CheckoutLatencyHigh',
        instance: '10.4.3.9:8080',
        job: 'checkout',
        service: 'checkout',
        severity: 'warning',
      },
      annotations: { summary: 'Checkout p99 latency above 2s' },
      startsAt: '2018-08-03T09:52:26.739266876+02:00',
      endsAt:
        status === 'firing'
          ? '2018-08-03T09:56:26.739266876+02:00'
          : '2018-08-03T10:31:11.739266876+02:00',
      generatorURL:
        'http://prometheus-0:9090/graph?g0.expr=checkout_latency_p99+%3E+2&g0.tab=1',
    },
  ],
  groupLabels: { alertname: 'CheckoutLatencyHigh' },
  commonLabels: {
    alertname: 'CheckoutLatencyHigh',
    instance: '10.4.3.9:8080',
    job: 'checkout',
    service: 'checkout',
    severity: 'warning',
  },
  commonAnnotations: { summary: 'Checkout p99 latency above 2s' },
  externalURL: 'http://alertmanager-0:9093',
  version: '4',
  groupKey: '{}:{alertname="CheckoutLatencyHigh"}',
});

describe('parseAlertmanagerWebhook', () => {
  it('reads a firing alert', () => {
    expect(parseAlertmanagerWebhook(webhook([firing()]))).toEqual({
      records: [
        {
          kind: 'incident',
          source: 'alertmanager',
          deliveryKey:
            'alertmanager:1a30ba71cca2921f:2024-05-14T09:02:31.482Z:firing',
          incidentKey: '1a30ba71cca2921f:2024-05-14T09:02:31.482Z',
          type: 'triggered',
          occurredAt: new Date('2024-05-14T09:02:31.482Z'),
          service: {
            entityRef: 'component:default/payments-api',
            annotation: {
              key: 'backstage.io/kubernetes-id',
              value: 'payments-api',
            },
          },
          severity: 'critical',
          title: 'PaymentsHighErrorRate: Payments API error rate above 5%',
          url: 'http://prometheus.acme.example:9090/graph?g0.expr=payments_error_ratio+%3E+0.05&g0.tab=1',
        },
      ],
      ignored: 0,
    });
  });

  it('reads a resolved alert as the end of the same incident', () => {
    const resolved = {
      ...firing(),
      status: 'resolved',
      endsAt: '2024-05-14T11:40:01.000Z',
    };
    const [triggered] = parseAlertmanagerWebhook(webhook([firing()])).records;
    const [ended] = parseAlertmanagerWebhook(
      webhook([resolved], 'resolved'),
    ).records;
    expect(ended).toMatchObject({
      type: 'resolved',
      occurredAt: new Date('2024-05-14T11:40:01.000Z'),
      incidentKey: triggered.kind === 'incident' && triggered.incidentKey,
    });
    expect(ended.deliveryKey).not.toBe(triggered.deliveryKey);
  });

  it('gives repeated notifications the same key and a re-fire a new incident', () => {
    const first = parseAlertmanagerWebhook(webhook([firing()])).records[0];
    const repeated = parseAlertmanagerWebhook(webhook([firing()])).records[0];
    expect(repeated.deliveryKey).toBe(first.deliveryKey);

    const refire = { ...firing(), startsAt: '2024-05-14T13:00:00Z' };
    const again = parseAlertmanagerWebhook(webhook([refire])).records[0];
    expect(again.kind === 'incident' && again.incidentKey).not.toBe(
      first.kind === 'incident' && first.incidentKey,
    );
  });

  it('reads every alert of a group', () => {
    const second = {
      ...firing(),
      fingerprint: '7c3b9e0f11a2d4e5',
      labels: { ...firing().labels, instance: '10.4.2.18:8080' },
    };
    expect(
      parseAlertmanagerWebhook(webhook([firing(), second])).records,
    ).toHaveLength(2);
    expect(parseAlertmanagerWebhook(webhook([]))).toEqual({
      records: [],
      ignored: 0,
    });
  });

  it('attributes by entity label, then service or app labels', () => {
    const serviceOf = (labels: Record<string, string>) =>
      parseAlertmanagerWebhook(
        webhook([{ ...firing(), labels: { alertname: 'X', ...labels } }]),
      ).records.map(r => (r.kind === 'incident' ? r.service : undefined))[0];
    expect(serviceOf({ entity: 'Component:payments-api' })).toEqual({
      entityRef: 'component:default/payments-api',
    });
    expect(serviceOf({ backstage_entity: 'zahlungsdienst-über' })).toEqual({
      name: 'zahlungsdienst-über',
    });
    expect(serviceOf({ service: 'payments-api', app: 'other' })).toEqual({
      annotation: { key: 'backstage.io/kubernetes-id', value: 'payments-api' },
    });
    expect(serviceOf({ app: 'payments-api' })).toEqual({
      annotation: { key: 'backstage.io/kubernetes-id', value: 'payments-api' },
    });
    expect(serviceOf({ job: 'node-exporter' })).toBeUndefined();
  });

  it('keeps unicode in titles', () => {
    const alert = firing();
    alert.labels.alertname = 'ZahlungsdienstÜberlastet';
    alert.annotations.summary = 'Fehlerquote über 5 % 💳';
    expect(parseAlertmanagerWebhook(webhook([alert])).records[0]).toMatchObject(
      { title: 'ZahlungsdienstÜberlastet: Fehlerquote über 5 % 💳' },
    );
  });

  it('names the field at fault', () => {
    const badStart = { ...firing(), startsAt: 'soon' };
    expect(() =>
      parseAlertmanagerWebhook(webhook([firing(), badStart])),
    ).toThrow(
      'Invalid Alertmanager webhook: alerts[1].startsAt: expected an RFC 3339 timestamp',
    );

    const resolvedWithoutEnd = { ...firing(), status: 'resolved' };
    expect(() =>
      parseAlertmanagerWebhook(webhook([resolvedWithoutEnd])),
    ).toThrow('alerts[0].endsAt: expected the time a resolved alert ended');

    const badStatus = { ...firing(), status: 'pending' };
    expect(() => parseAlertmanagerWebhook(webhook([badStatus]))).toThrow(
      'alerts[0].status: expected "firing" or "resolved", got "pending"',
    );

    const blankFingerprint = { ...firing(), fingerprint: ' ' };
    expect(() => parseAlertmanagerWebhook(webhook([blankFingerprint]))).toThrow(
      'alerts[0].fingerprint: must not be empty',
    );

    expect(() =>
      parseAlertmanagerWebhook({ ...webhook([firing()]), version: '3' }),
    ).toThrow('version: expected "4", got "3"');

    expect(() => parseAlertmanagerWebhook(null)).toThrow(InputError);
  });

  describe('from an Alertmanager without fingerprints', () => {
    const incidentOf = (body: unknown) => {
      const [record] = parseAlertmanagerWebhook(body).records;
      if (record?.kind !== 'incident') throw new Error('expected an incident');
      return record;
    };

    it('pairs the firing and the resolved notification into one incident', () => {
      const triggered = incidentOf(preFingerprintWebhook('firing'));
      const resolved = incidentOf(preFingerprintWebhook('resolved'));
      expect(triggered).toMatchObject({
        type: 'triggered',
        occurredAt: new Date('2018-08-03T07:52:26.739Z'),
        service: {
          annotation: { key: 'backstage.io/kubernetes-id', value: 'checkout' },
        },
        severity: 'warning',
        title: 'CheckoutLatencyHigh: Checkout p99 latency above 2s',
      });
      expect(triggered.incidentKey).toMatch(
        /^[0-9a-f]{64}:2018-08-03T07:52:26\.739Z$/,
      );
      expect(resolved).toMatchObject({
        type: 'resolved',
        occurredAt: new Date('2018-08-03T08:31:11.739Z'),
        incidentKey: triggered.incidentKey,
      });
      expect(resolved.deliveryKey).not.toBe(triggered.deliveryKey);
    });

    it('derives the same fingerprint whatever order the labels come in', () => {
      const body = preFingerprintWebhook('firing');
      const labels = body.alerts[0].labels;
      const reversed = Object.fromEntries(Object.entries(labels).reverse());
      expect(Object.keys(reversed)).not.toEqual(Object.keys(labels));
      const reordered = {
        ...body,
        alerts: [{ ...body.alerts[0], labels: reversed }],
      };
      expect(incidentOf(reordered).incidentKey).toBe(
        incidentOf(body).incidentKey,
      );
    });

    it('tells alerts with different labels apart', () => {
      const body = preFingerprintWebhook('firing');
      const otherInstance = {
        ...body,
        alerts: [
          {
            ...body.alerts[0],
            labels: { ...body.alerts[0].labels, instance: '10.4.3.10:8080' },
          },
        ],
      };
      // A value must not pass for more labels: joined naively as `name=value,`
      // these labels would read exactly like the original ones.
      const { service, ...withoutService } = body.alerts[0].labels;
      const smuggled = {
        ...body,
        alerts: [
          {
            ...body.alerts[0],
            labels: { ...withoutService, job: `checkout,service=${service}` },
          },
        ],
      };
      const keys = [body, otherInstance, smuggled].map(
        b => incidentOf(b).incidentKey,
      );
      expect(new Set(keys).size).toBe(3);
    });

    it('keeps the fingerprint Alertmanager sends', () => {
      const body = preFingerprintWebhook('firing');
      const withFingerprint = {
        ...body,
        alerts: [{ ...body.alerts[0], fingerprint: '9f3c0d2b7a41e6c8' }],
      };
      expect(incidentOf(withFingerprint).incidentKey).toBe(
        '9f3c0d2b7a41e6c8:2018-08-03T07:52:26.739Z',
      );
    });
  });
});
