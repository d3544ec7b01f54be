import { InputError } from '@backstage/errors';
import { MAX_CDEVENTS_BATCH, parseCdEvents } from './parseCdEvents';

// Shaped like the examples in the CDEvents spec (examples/ and conformance/): the
// service events of spec 0.2 (type 0.1.1) and 0.4 (type 0.2.0, with chainId and
// schemaUri), and the incident events of spec 0.2 (type 0.1.0), 0.4 and 0.5-draft.

const serviceDeployed020 = () => ({
  context: {
    version: '0.4.0',
    id: '5f7a2c7e-1d3b-4a8e-9d51-0c6b7f1e2a90',
    chainId: 'b0a6a3f4-6a0e-4b6f-8a55-2f1d0c9e7b13',
    source: '/pipelines/payments/deploy',
    type: 'dev.cdevents.service.deployed.0.2.0',
    timestamp: '2024-05-14T09:12:44.512913Z',
    schemaUri: 'https://acme.example/schema/custom',
  },
  subject: {
    id: 'payments-api',
    source: '/pipelines/payments/deploy',
    type: 'service',
    content: {
      environment: { id: 'staging' },
      artifactId:
        'pkg:oci/payments-api@sha256%3A9b2f0d6c1e8a4f3b7d5c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b',
    },
  },
});

const serviceEvent011 = (verb: string) => ({
  context: {
    version: '0.2.0',
    id: `0c1d2e3f-${verb}`,
    source: '/argocd/apps/payments',
    type: `dev.cdevents.service.${verb}.0.1.1`,
    timestamp: '2024-05-14T10:00:00Z',
  },
  subject: {
    id: 'payments-api',
    source: '/argocd/apps/payments',
    type: 'service',
    content: {
      environment: { id: 'production' },
      artifactId: 'pkg:oci/payments-api@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f',
    },
  },
});

const incident010 = (verb: 'detected' | 'resolved') => ({
  context: {
    version: '0.2.0',
    id: `A1B2C3D4-${verb.toUpperCase()}`,
    source: '/monitoring/prod-eu',
    type: `dev.cdevents.incident.${verb}.0.1.0`,
    timestamp:
      verb === 'detected'
        ? '2024-05-14T11:00:00.000Z'
        : '2024-05-14T11:42:10.250Z',
  },
  subject: {
    id: 'incident-4711',
    source: '/monitoring/prod-eu',
    type: 'incident',
    content: {
      description:
        verb === 'detected'
          ? 'p99 latency above 300ms'
          : 'p99 latency back below 300ms',
      environment: { id: 'production', source: '/clusters/eu-1' },
      service: { id: 'payments-api', source: '/clusters/eu-1/payments' },
      artifactId: 'pkg:oci/payments-api@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f',
    },
  },
  customData: { metric: 'latency_p99', threshold: '300ms', value: '812ms' },
  customDataContentType: 'application/json',
});

const incidentReported020 = () => ({
  context: {
    version: '0.4.0',
    id: 'E5F6A7B8-REPORTED',
    chainId: 'c2d3e4f5-0000-4000-8000-000000000001',
    source: '/servicedesk',
    type: 'dev.cdevents.incident.reported.0.2.0',
    timestamp: '2024-05-14T11:05:00Z',
  },
  subject: {
    id: 'incident-4711',
    source: '/servicedesk',
    type: 'incident',
    content: {
      description: 'Customers report failed card payments',
      environment: { id: 'production', source: '/clusters/eu-1' },
      service: {
        id: 'component:default/payments-api',
        source: '/clusters/eu-1',
      },
      artifactId: 'pkg:oci/payments-api@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f',
      ticketURI: 'https://tickets.acme.example/incidents/INC-345',
    },
  },
  customData: { severity: 'high', priority: 'critical', reportedBy: 'u123' },
  customDataContentType: 'application/json',
});

const serviceRequest = () => ({
  context: {
    version: '0.4.0',
    id: 'sr-2c8e1f0a',
    source: '/backstage/scaffolder',
    type: 'dev.cdeventsx.servicerequest.created.0.1.0',
    timestamp: '2024-05-01T08:30:00+02:00',
  },
  subject: {
    id: 'task-91f0',
    source: '/backstage/scaffolder',
    content: {
      entityRef: 'component:default/invoice-service',
      team: 'group:default/team-billing',
      template: 'template:default/node-service',
      templateVersion: '3.2.0',
    },
  },
});

const cloudEvent = (data: unknown, id = 'ce-7f3a') => ({
  specversion: '1.0',
  id,
  source: '/pipelines/payments/deploy',
  type: 'dev.cdevents.service.deployed.0.2.0',
  time: '2024-05-14T09:12:44.512913Z',
  datacontenttype: 'application/json',
  data,
});

describe('parseCdEvents', () => {
  it('reads a service.deployed 0.2.0 event', () => {
    expect(parseCdEvents(serviceDeployed020())).toEqual({
      records: [
        {
          kind: 'deployment',
          source: 'cdevents',
          deliveryKey: '5f7a2c7e-1d3b-4a8e-9d51-0c6b7f1e2a90',
          service: { name: 'payments-api' },
          environment: 'staging',
          production: false,
          outcome: 'success',
          occurredAt: new Date('2024-05-14T09:12:44.512Z'),
          // The artifactId pins the image by digest.
          imageDigest:
            'sha256:9b2f0d6c1e8a4f3b7d5c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b',
          // No customData.pipelineId: the event names the run.
          pipelineId: '5f7a2c7e-1d3b-4a8e-9d51-0c6b7f1e2a90',
        },
      ],
      ignored: 0,
    });
  });

  describe('image digest', () => {
    const HEX = '0123456789abcdef'.repeat(4);
    const deployedWith = (artifactId?: string, customData?: unknown) => {
      const event: any = serviceEvent011('deployed');
      event.subject.content.artifactId = artifactId;
      if (customData) event.customData = customData;
      return parseCdEvents(event).records[0];
    };

    it('reads the digest the golden path report-deployment.sh sends (1.1.0)', () => {
      expect(
        deployedWith(
          `pkg:oci/payments-api@sha256:${HEX}?repository_url=ghcr.io/acme/payments-api`,
        ),
      ).toMatchObject({ imageDigest: `sha256:${HEX}` });
      // Percent-encoded as the package URL spec has it, in any case.
      expect(
        deployedWith(
          `pkg:oci/payments-api@SHA256%3A${HEX.toUpperCase()}?repository_url=x`,
        ),
      ).toMatchObject({ imageDigest: `sha256:${HEX}` });
    });

    it('stores no digest for a tag, a commit SHA (golden path 1.0.0) or a truncated digest', () => {
      for (const artifactId of [
        undefined,
        'pkg:oci/payments-api@1.4.2?repository_url=x',
        `pkg:oci/payments-api@${'a'.repeat(40)}?repository_url=x`,
        `pkg:oci/payments-api@sha256:${HEX.slice(1)}`,
        `pkg:npm/payments-api@sha256:${HEX}`,
        `sha256:${HEX}`,
        'pkg:oci/payments-api@sha256%ZZ',
      ]) {
        expect(deployedWith(artifactId)).not.toHaveProperty('imageDigest');
      }
    });

    it('takes customData.imageDigest when the artifactId pins none, and rejects a malformed one naming the field', () => {
      expect(
        deployedWith(undefined, { imageDigest: `sha256:${HEX}` }),
      ).toMatchObject({ imageDigest: `sha256:${HEX}` });
      expect(() => deployedWith(undefined, { imageDigest: 'latest' })).toThrow(
        /customData\.imageDigest: expected an OCI image digest/,
      );
    });
  });

  it('reads 0.1.x deployed, upgraded and rolledback events', () => {
    const { records } = parseCdEvents([
      serviceEvent011('deployed'),
      serviceEvent011('upgraded'),
      serviceEvent011('rolledback'),
    ]);
    expect(
      records.map(r => r.kind === 'deployment' && [r.outcome, r.production]),
    ).toEqual([
      ['success', true],
      ['success', true],
      ['rollback', true],
    ]);
  });

  it('reads the entity ref and golden-path declarations of our pipelines', () => {
    const event = serviceEvent011('deployed');
    event.subject.id = 'component:default/payments-api';
    const withCustomData = {
      ...event,
      customData: {
        goldenPath: { template: 'node-service', version: '3.2.0' },
        pipelineId: 'gha-run-99812',
        observability: { alerts: true, logs: true, tls: true, dns: true },
      },
    };
    expect(parseCdEvents(withCustomData).records[0]).toMatchObject({
      service: { entityRef: 'component:default/payments-api' },
      goldenPath: { template: 'node-service', version: '3.2.0' },
      pipelineId: 'gha-run-99812',
      observabilityDeclared: true,
    });

    withCustomData.customData.observability.dns = false;
    expect(parseCdEvents(withCustomData).records[0]).toMatchObject({
      observabilityDeclared: false,
    });
  });

  it('accepts observability as a boolean and leaves customData strings alone', () => {
    const declared = {
      ...serviceEvent011('deployed'),
      customData: { observability: true, pipelineId: 4711 },
    };
    expect(parseCdEvents(declared).records[0]).toMatchObject({
      observabilityDeclared: true,
      pipelineId: '4711',
    });
    const opaque = {
      ...serviceEvent011('deployed'),
      customData: 'eyJmb28iOiJiYXIifQ==',
      customDataContentType: 'application/octet-stream',
    };
    const record = parseCdEvents(opaque).records[0];
    expect(record).not.toHaveProperty('goldenPath');
    expect(record).not.toHaveProperty('observabilityDeclared');
  });

  it('normalises entity refs and keeps other ids, unicode included, as names', () => {
    const names = [
      'Component:Default/payments-api',
      'component:payments-api',
      'zahlungsdienst-über',
      'pkg:oci/payments-api',
      'default/payments-api',
    ].map(id => {
      const event = serviceEvent011('deployed');
      event.subject.id = id;
      const record = parseCdEvents(event).records[0];
      return record.kind === 'deployment' && record.service;
    });
    expect(names).toEqual([
      { entityRef: 'component:default/payments-api' },
      { entityRef: 'component:default/payments-api' },
      { name: 'zahlungsdienst-über' },
      { name: 'pkg:oci/payments-api' },
      { name: 'default/payments-api' },
    ]);
  });

  it('reads incident events 0.1.0 and 0.2.0', () => {
    const { records } = parseCdEvents([
      incident010('detected'),
      incidentReported020(),
      incident010('resolved'),
    ]);
    expect(records).toEqual([
      {
        kind: 'incident',
        source: 'cdevents',
        deliveryKey: 'A1B2C3D4-DETECTED',
        incidentKey: 'incident-4711',
        type: 'triggered',
        occurredAt: new Date('2024-05-14T11:00:00.000Z'),
        service: { name: 'payments-api' },
        title: 'p99 latency above 300ms',
      },
      {
        kind: 'incident',
        source: 'cdevents',
        deliveryKey: 'E5F6A7B8-REPORTED',
        incidentKey: 'incident-4711',
        type: 'triggered',
        occurredAt: new Date('2024-05-14T11:05:00Z'),
        service: { entityRef: 'component:default/payments-api' },
        severity: 'high',
        title: 'Customers report failed card payments',
        url: 'https://tickets.acme.example/incidents/INC-345',
      },
      {
        kind: 'incident',
        source: 'cdevents',
        deliveryKey: 'A1B2C3D4-RESOLVED',
        incidentKey: 'incident-4711',
        type: 'resolved',
        occurredAt: new Date('2024-05-14T11:42:10.250Z'),
        service: { name: 'payments-api' },
        title: 'p99 latency back below 300ms',
      },
    ]);
  });

  it('reads draft versions and names the service from the artifact when there is no service', () => {
    const draft = incident010('detected');
    draft.context.type = 'dev.cdevents.incident.detected.0.3.0-draft';
    const { service, ...content } = draft.subject.content;
    const event = { ...draft, subject: { ...draft.subject, content } };
    expect(parseCdEvents(event).records[0]).toMatchObject({
      type: 'triggered',
      service: { name: 'payments-api' },
    });
    expect(service.id).toBe('payments-api');
  });

  it('reads our service-request extension', () => {
    expect(parseCdEvents(serviceRequest())).toEqual({
      records: [
        {
          kind: 'service-request',
          source: 'cdevents',
          deliveryKey: 'sr-2c8e1f0a',
          entityRef: 'component:default/invoice-service',
          team: 'group:default/team-billing',
          template: 'template:default/node-service',
          templateVersion: '3.2.0',
          requestedAt: new Date('2024-05-01T06:30:00Z'),
        },
      ],
      ignored: 0,
    });
  });

  it('reads a bare team name as a group ref and requires the entity ref', () => {
    const request = serviceRequest();
    request.subject.content.team = 'team-billing';
    expect(parseCdEvents(request).records[0]).toMatchObject({
      team: 'group:default/team-billing',
    });
    request.subject.content.entityRef = 'invoice-service';
    expect(() => parseCdEvents(request)).toThrow(
      'subject.content.entityRef: expected an entity ref like component:default/payments',
    );
    const { entityRef, ...rest } = request.subject.content;
    expect(entityRef).toBeDefined();
    expect(() =>
      parseCdEvents({ ...request, subject: { content: rest } }),
    ).toThrow('subject.content.entityRef: required');
  });

  describe('CloudEvents', () => {
    it('reads a CDEvent in the data of a structured-mode CloudEvent', () => {
      expect(parseCdEvents(cloudEvent(serviceDeployed020())).records).toEqual([
        expect.objectContaining({
          kind: 'deployment',
          deliveryKey: '5f7a2c7e-1d3b-4a8e-9d51-0c6b7f1e2a90',
        }),
      ]);
    });

    it('falls back to the CloudEvent id when the CDEvent has none', () => {
      const inner = serviceDeployed020();
      const { id, ...context } = inner.context;
      expect(id).toBeTruthy();
      const result = parseCdEvents(cloudEvent({ ...inner, context }, 'ce-42'));
      expect(result.records[0].deliveryKey).toBe('ce-42');
    });

    it('requires the id of a bare CDEvent', () => {
      const event = serviceDeployed020();
      const { id, ...context } = event.context;
      expect(id).toBeTruthy();
      expect(() => parseCdEvents({ ...event, context })).toThrow(
        'context.id: required',
      );
    });

    it('ignores CloudEvents that are not CDEvents', () => {
      const other = {
        specversion: '1.0',
        id: 'A234-1234-1234',
        source: 'https://github.com/cloudevents/spec/pull',
        type: 'com.github.pull_request.opened',
        data: { anything: true },
      };
      expect(parseCdEvents(other)).toEqual({ records: [], ignored: 1 });
    });

    it('names fields inside data and rejects a non-object data', () => {
      const inner = serviceDeployed020();
      inner.context.timestamp = 'yesterday';
      expect(() => parseCdEvents([cloudEvent(inner)])).toThrow(
        'events[0].data.context.timestamp: expected an RFC 3339 timestamp',
      );
      expect(() => parseCdEvents(cloudEvent('e30='))).toThrow(
        'data: expected the CDEvent as a JSON object',
      );
      expect(() =>
        parseCdEvents({ ...cloudEvent({}), specversion: '0.3' }),
      ).toThrow('specversion: expected "1.0"');
    });
  });

  describe('batches', () => {
    it('reads a mixed batch and counts unknown types as ignored', () => {
      const pipelineRun = {
        context: {
          version: '0.2.0',
          id: '9a8b7c6d',
          source: '/ci/payments',
          type: 'dev.cdevents.pipelinerun.finished.0.1.1',
          timestamp: '2024-05-14T08:59:00Z',
        },
        subject: {
          id: 'run-1',
          source: '/ci/payments',
          type: 'pipelineRun',
          content: { pipelineName: 'build', outcome: 'success' },
        },
      };
      const result = parseCdEvents([
        serviceDeployed020(),
        pipelineRun,
        cloudEvent(incident010('detected')),
        serviceRequest(),
      ]);
      expect(result.ignored).toBe(1);
      expect(result.records.map(r => r.kind)).toEqual([
        'deployment',
        'incident',
        'service-request',
      ]);
    });

    it('rejects the whole batch when one event is invalid, naming it', () => {
      const bad = serviceEvent011('deployed');
      bad.context.timestamp = '2024-05-14 10:00';
      const batch = [serviceDeployed020(), serviceEvent011('upgraded'), bad];
      expect(() => parseCdEvents(batch)).toThrow(InputError);
      expect(() => parseCdEvents(batch)).toThrow(
        'Invalid CDEvents payload: events[2].context.timestamp: expected an RFC 3339 timestamp',
      );
    });

    it('accepts an empty batch and up to the limit, and rejects beyond it', () => {
      expect(parseCdEvents([])).toEqual({ records: [], ignored: 0 });
      const full = Array.from({ length: MAX_CDEVENTS_BATCH }, (_, i) => {
        const event = serviceEvent011('deployed');
        event.context.id = `id-${i}`;
        return event;
      });
      expect(parseCdEvents(full).records).toHaveLength(1000);
      expect(() =>
        parseCdEvents([...full, serviceEvent011('deployed')]),
      ).toThrow('events: at most 1000 events per request, got 1001');
    });

    it('names elements that are not objects', () => {
      expect(() => parseCdEvents([serviceDeployed020(), 'hello'])).toThrow(
        'events[1]: expected a CDEvent or a CloudEvent object',
      );
      expect(() => parseCdEvents('hello')).toThrow(
        'body: expected a CDEvent or a CloudEvent object',
      );
    });
  });

  describe('invalid events', () => {
    it.each([
      ['2024-02-30T10:00:00Z'],
      ['2024-05-14T25:00:00Z'],
      ['2024-05-14'],
      ['1715677200'],
      [''],
    ])('rejects the timestamp %j', timestamp => {
      const event = serviceEvent011('deployed');
      event.context.timestamp = timestamp;
      expect(() => parseCdEvents(event)).toThrow(
        'context.timestamp: expected an RFC 3339 timestamp',
      );
    });

    it('accepts offsets and fractional seconds', () => {
      const event = serviceEvent011('deployed');
      event.context.timestamp = '2024-05-14T12:00:00.123456789+02:00';
      expect(parseCdEvents(event).records[0]).toMatchObject({
        occurredAt: new Date('2024-05-14T10:00:00.123Z'),
      });
    });

    it('names missing and mistyped fields', () => {
      const noEnvironment = serviceEvent011('deployed') as any;
      delete noEnvironment.subject.content.environment;
      expect(() => parseCdEvents(noEnvironment)).toThrow(
        'subject.content.environment: required',
      );

      const numericId = serviceEvent011('deployed') as any;
      numericId.subject.id = 42;
      expect(() => parseCdEvents([numericId])).toThrow(
        'events[0].subject.id: expected a string, got a number',
      );

      expect(() => parseCdEvents({ subject: {} })).toThrow('context: required');
      expect(() => parseCdEvents({ context: { id: 'x' } })).toThrow(
        'context.type: required',
      );
    });

    it('names golden-path fields at fault', () => {
      const event = {
        ...serviceEvent011('deployed'),
        customData: { goldenPath: { template: 'node-service' } },
      };
      expect(() => parseCdEvents(event)).toThrow(
        'customData.goldenPath.version: required',
      );
    });

    it('rejects a new major version of a type it reads', () => {
      const event = serviceEvent011('deployed');
      event.context.type = 'dev.cdevents.service.deployed.1.0.0';
      expect(() => parseCdEvents(event)).toThrow(
        'context.type: unsupported version "1.0.0" of dev.cdevents.service.deployed',
      );
    });
  });
});
