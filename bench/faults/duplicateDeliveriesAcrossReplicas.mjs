import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  startBackend,
} from '../../scripts/lib/prodBackend.mjs';
import { cdEvent } from './cdEvent.mjs';
import { countStoredDeliveries } from './countStoredDeliveries.mjs';
import { deliverUntilAccepted } from './deliverUntilAccepted.mjs';
import { stopBackend } from './stopBackend.mjs';

/**
 * (1) Two replicas share one PostgreSQL; every event is delivered several
 * times at once, the copies spread over both replicas, as single events and
 * inside overlapping batches (in different orders, so two transactions lock
 * the same keys in different orders). Each event must be stored exactly once,
 * and across all answers exactly one delivery may report it as new.
 */
export async function duplicateDeliveriesAcrossReplicas({
  bundleDir,
  logDir,
  events = 200,
  copies = 3,
  batches = 40,
  batchSize = 10,
  concurrency = 24,
}) {
  const connectionString = postgresConnectionString();
  const prefix = 'portal_fault_dup_';
  const secrets = generateSecrets();
  const replicas = [];
  await dropDatabases(connectionString, prefix);
  try {
    // One after the other: starting both at once on an empty database is
    // scenario 3, and must not decide this one.
    const startedAt = Date.now();
    for (const port of [7051, 7052]) {
      const replica = startBackend({
        bundleDir,
        port,
        prefix,
        secrets,
        connectionString,
        logFile: join(logDir, `duplicates-${port}.log`),
      });
      replicas.push(replica);
      await replica.ready();
    }

    const startupMs = Date.now() - startedAt;
    const run = randomUUID().slice(0, 8);
    const ids = Array.from({ length: events }, (_, i) => `dup-${run}-${i}`);
    const deliveries = [];
    ids.forEach((id, i) => {
      for (let copy = 0; copy < copies; copy++) {
        deliveries.push({ ids: [id], replica: (i + copy) % 2 });
      }
    });
    for (let b = 0; b < batches; b++) {
      const picked = shuffle([...ids]).slice(0, batchSize);
      deliveries.push({ ids: picked, replica: b % 2 });
    }
    shuffle(deliveries);

    const perReplica2xx = [0, 0];
    let attempts = 0;
    let answered2xx = 0;
    let status5xx = 0;
    let connectionErrors = 0;
    let reportedStored = 0;
    let reportedDuplicates = 0;
    const other = [];
    const deadline = Date.now() + 90_000;
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++];
        const body = delivery.ids.map(id => cdEvent(id));
        const result = await deliverUntilAccepted({
          url: `${
            replicas[delivery.replica].baseUrl
          }/api/platform-metrics/v1/events`,
          token: secrets.ingestToken,
          body: body.length === 1 ? body[0] : body,
          deadline,
          onAttempt: ({ status, error }) => {
            attempts += 1;
            if (status >= 500) status5xx += 1;
            if (error) connectionErrors += 1;
          },
        });
        if (result.status >= 200 && result.status < 300) {
          answered2xx += 1;
          perReplica2xx[delivery.replica] += 1;
          reportedStored += result.answer.stored;
          reportedDuplicates += result.answer.duplicates;
        } else {
          other.push(result.status ?? 'deadline');
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const loadMs = Date.now() - started;

    const stored = await countStoredDeliveries({
      connectionString,
      prefix,
      keys: ids,
    });
    const storedOnce = ids.filter(id => stored.deployments.get(id) === 1);
    const missing = ids.filter(id => !stored.deployments.has(id));
    const duplicated = ids.filter(id => stored.deployments.get(id) > 1);
    const ledgerOnce = ids.filter(id => stored.deliveries.get(id) === 1);
    const eventDeliveries = deliveries.reduce((n, d) => n + d.ids.length, 0);
    const crashed = replicas.filter(r => r.hasExited).length;

    const checks = {
      'every delivery answered 2xx': answered2xx === deliveries.length,
      'each event stored exactly once':
        storedOnce.length === events && ledgerOnce.length === events,
      'exactly one answer reports each event as new':
        reportedStored === events &&
        reportedDuplicates === eventDeliveries - events,
      'both replicas took deliveries':
        perReplica2xx[0] > 0 && perReplica2xx[1] > 0,
      'no replica exited': crashed === 0,
    };
    return {
      checks,
      numbers: {
        events,
        deliveries: deliveries.length,
        'event copies': eventDeliveries,
        'answered 2xx': `${answered2xx} (A ${perReplica2xx[0]}, B ${perReplica2xx[1]})`,
        attempts,
        '5xx': status5xx,
        'connection errors': connectionErrors,
        'not accepted': other.length,
        stored: storedOnce.length,
        missing: missing.length,
        duplicates: duplicated.length,
        'reported new': reportedStored,
        'reported duplicate': reportedDuplicates,
        'startup ms': startupMs,
        'load ms': loadMs,
      },
    };
  } finally {
    await Promise.all(replicas.map(r => stopBackend(r)));
    await dropDatabases(connectionString, prefix).catch(() => {});
  }
}

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
