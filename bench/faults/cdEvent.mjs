/**
 * A CDEvents `service.deployed` event (spec 0.4) as a pipeline sends it to
 * POST /api/platform-metrics/v1/events. Its context id is the delivery key the
 * backend deduplicates on, so a redelivery reuses the same id.
 */
export function cdEvent(id, { service = 'fault-service' } = {}) {
  return {
    context: {
      version: '0.4.0',
      id,
      source: '/bench/faults',
      type: 'dev.cdevents.service.deployed.0.2.0',
      timestamp: new Date().toISOString(),
    },
    subject: {
      id: service,
      source: '/bench/faults',
      type: 'service',
      content: {
        environment: { id: 'production' },
        artifactId: `pkg:oci/${service}@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f`,
      },
    },
  };
}
