import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { hostileString } from '../__testUtils__/hostileArbitraries';
import { parseAlertmanagerWebhook } from './parseAlertmanagerWebhook';
import { parseCdEvents } from './parseCdEvents';
import { parseGithubDeploymentStatus } from './parseGithubDeploymentStatus';
import { parseGitlabDeployment } from './parseGitlabDeployment';
import type { ParseResult } from './parseHelpers';
import { parsePagerDutyWebhook } from './parsePagerDutyWebhook';
import type { IngestRecord } from './types';

/*
 * Every parser, fed anything: it returns records the store can keep, or throws an
 * InputError. Nothing else, whatever the payload says.
 */

const NUM_RUNS = 500;

/** A value the parser expects, or anything else. */
const either = (...expected: unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...expected) },
    { weight: 1, arbitrary: hostileString() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );

const timestamp = either('2026-10-01T10:00:00Z', '2026-10-01T12:00:00+02:00');

const OUTCOMES = ['success', 'failure', 'rollback'];
const INCIDENT_TYPES = ['triggered', 'acknowledged', 'resolved', 'reopened'];

/** What the store relies on, checked on every record a parser returns. */
function expectStorable(record: IngestRecord) {
  expect(typeof record.deliveryKey).toBe('string');
  expect(record.deliveryKey.trim()).not.toBe('');
  const instants =
    record.kind === 'service-request'
      ? [record.requestedAt]
      : [record.occurredAt];
  for (const instant of instants) {
    expect(instant).toBeInstanceOf(Date);
    expect(Number.isFinite(instant.getTime())).toBe(true);
  }
  if (record.kind === 'deployment') {
    expect(OUTCOMES).toContain(record.outcome);
    expect(typeof record.environment).toBe('string');
    expect(typeof record.production).toBe('boolean');
  } else if (record.kind === 'incident') {
    expect(INCIDENT_TYPES).toContain(record.type);
    expect(typeof record.incidentKey).toBe('string');
  } else {
    expect(typeof record.entityRef).toBe('string');
  }
}

function expectParsedOrInputError(parse: () => ParseResult) {
  let result: ParseResult;
  try {
    result = parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).not.toBe('');
    return;
  }
  expect(Number.isInteger(result.ignored)).toBe(true);
  result.records.forEach(expectStorable);
}

const payloads: Array<
  [string, fc.Arbitrary<unknown>, (body: any) => ParseResult]
> = [
  [
    'parseCdEvents',
    fc.record({
      context: fc.record({
        id: either('e1'),
        type: either(
          'dev.cdevents.service.deployed.0.2.0',
          'dev.cdevents.service.rolledback.0.1.1',
          'dev.cdevents.incident.detected.0.1.0',
          'dev.cdevents.incident.resolved.0.2.0',
          'dev.cdeventsx.servicerequest.created.0.1.0',
          'dev.cdevents.service.deployed.1.0.0',
        ),
        timestamp,
      }),
      subject: fc.record({
        id: either('payments', 'component:default/payments'),
        content: fc.record({
          environment: fc.record({ id: either('production', 'prod') }),
          service: fc.record({ id: either('payments') }),
          artifactId: either('pkg:oci/payments@sha256%3A0b31'),
          entityRef: either('component:default/payments'),
          team: either('payments-team', 'group:default/payments-team'),
          template: either('node-service'),
        }),
      }),
      customData: either(
        { goldenPath: { template: 'node-service', version: '1.0.0' } },
        { severity: 'high' },
      ),
    }),
    body => parseCdEvents(body),
  ],
  [
    'parseGithubDeploymentStatus',
    fc.record({
      action: either('created', 'updated'),
      deployment_status: fc.record({
        state: either('success', 'failure', 'error', 'pending', 'constructor'),
        environment: either('production', 'staging'),
        created_at: timestamp,
        updated_at: timestamp,
      }),
      deployment: fc.record({
        id: either(42, '42'),
        environment: either('production'),
        production_environment: either(true, false),
        payload: either(
          {},
          '{"goldenPath":{"template":"node-service","version":"1"}}',
        ),
      }),
      repository: fc.record({ full_name: either('acme/payments') }),
    }),
    body => parseGithubDeploymentStatus(body, 'delivery-1'),
  ],
  [
    'parseGitlabDeployment',
    fc.record({
      object_kind: either('deployment', 'build'),
      status: either('success', 'failed', 'running', 'toString'),
      status_changed_at: either(
        '2021-04-28 21:50:00 +0200',
        '2021-04-28 19:50:00 UTC',
      ),
      deployment_id: either(15, '15'),
      environment: either('production'),
      environment_tier: either('production', 'staging'),
      project: fc.record({ path_with_namespace: either('acme/payments') }),
    }),
    body => parseGitlabDeployment(body),
  ],
  [
    'parsePagerDutyWebhook',
    fc.record({
      event: fc.record({
        id: either('01DEN5QGMAHEBAQ9QBH1VNL8FR'),
        event_type: either(
          'incident.triggered',
          'incident.resolved',
          'incident.annotated',
          'hasOwnProperty',
        ),
        occurred_at: timestamp,
        data: fc.record({
          id: either('PGR0VU2'),
          title: either('A little bump'),
          service: fc.record({ id: either('PWIXJZS') }),
          priority: fc.record({ summary: either('P1') }),
          urgency: either('high'),
        }),
      }),
    }),
    body => parsePagerDutyWebhook(body, 'webhook-1'),
  ],
  [
    'parseAlertmanagerWebhook',
    fc.record({
      version: either('4'),
      alerts: fc.array(
        fc.record({
          status: either('firing', 'resolved'),
          labels: fc.dictionary(
            fc.constantFrom(
              'alertname',
              'severity',
              'backstage_entity',
              'service',
              '__proto__',
              'constructor',
            ),
            either('payments', 'critical', 'component:default/payments'),
          ),
          annotations: either({ summary: 'Error rate above 5%' }),
          startsAt: timestamp,
          endsAt: either('0001-01-01T00:00:00Z', '2026-10-01T11:00:00Z'),
          fingerprint: either('1a30ba71cca2921f'),
        }),
        { maxLength: 3 },
      ),
    }),
    body => parseAlertmanagerWebhook(body),
  ],
];

describe.each(payloads)('%s', (_name, payload, parse) => {
  it('returns storable records or throws an InputError for any JSON', () => {
    const details = fc.check(
      fc.property(fc.jsonValue(), body => {
        expectParsedOrInputError(() => parse(body));
      }),
      { numRuns: NUM_RUNS, includeErrorInReport: true },
    );
    expect(fc.defaultReportMessage(details)).toBeUndefined();
  });

  it('returns storable records or throws an InputError for payloads of roughly the right shape', () => {
    const details = fc.check(
      fc.property(payload, body => {
        expectParsedOrInputError(() => parse(body));
      }),
      { numRuns: NUM_RUNS, includeErrorInReport: true },
    );
    expect(fc.defaultReportMessage(details)).toBeUndefined();
  });
});
