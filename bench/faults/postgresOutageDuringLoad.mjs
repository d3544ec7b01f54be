import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  generateSecrets,
  startBackend,
} from '../../scripts/lib/prodBackend.mjs';
import { cdEvent } from './cdEvent.mjs';
import { countStoredDeliveries } from './countStoredDeliveries.mjs';
import { deliverUntilAccepted } from './deliverUntilAccepted.mjs';
import { stopBackend } from './stopBackend.mjs';
import { throwawayPostgres } from './throwawayPostgres.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * (2) PostgreSQL stops in the middle of a load and comes back. Senders retry
 * every refused delivery, as webhook senders do. While it is down they must
 * get 5xx, never a 2xx for an event that is not stored; afterwards the same
 * backend process must take deliveries again without anyone restarting it,
 * and every event must end up stored exactly once.
 *
 * Runs on a PostgreSQL cluster of its own: the shared server is never stopped.
 */
export async function postgresOutageDuringLoad({
  bundleDir,
  logDir,
  senders = 8,
  loadBeforeMs = 4000,
  outageMs = 10_000,
  loadAfterMs = 5000,
  port = 55432,
}) {
  const postgres = await throwawayPostgres({ port });
  const prefix = 'portal_fault_outage_';
  const secrets = generateSecrets();
  let backend;
  try {
    await postgres.start();
    backend = startBackend({
      bundleDir,
      port: 7053,
      prefix,
      secrets,
      connectionString: postgres.connectionString,
      logFile: join(logDir, 'outage-7053.log'),
    });
    await backend.ready();
    const pid = backend.pid;

    const run = randomUUID().slice(0, 8);
    const url = `${backend.baseUrl}/api/platform-metrics/v1/events`;
    const attempts = [];
    const outcomes = new Map();
    let sending = true;
    let sequence = 0;
    const deadline = () => Date.now() + 120_000;
    const sender = async () => {
      while (sending) {
        const id = `outage-${run}-${sequence++}`;
        const result = await deliverUntilAccepted({
          url,
          token: secrets.ingestToken,
          body: cdEvent(id),
          deadline: deadline(),
          attemptTimeoutMs: 30_000,
          onAttempt: attempt => attempts.push({ id, ...attempt }),
        });
        outcomes.set(id, result.status);
      }
    };
    const load = Promise.all(Array.from({ length: senders }, sender));

    await sleep(loadBeforeMs);
    const stopAt = Date.now();
    await postgres.stop('fast');
    // "While down" runs from the moment the server has stopped to the moment
    // it is started again; answers during the stop itself may be commits that
    // made it.
    const downAt = Date.now();
    await sleep(outageMs);
    const restartAt = Date.now();
    await postgres.start();
    const upAt = Date.now();
    // New events keep coming until the backend has answered 2xx again for a
    // while, then the senders only finish their retries.
    const recoveryDeadline = upAt + 60_000;
    while (Date.now() < recoveryDeadline) {
      const recovered = attempts.some(
        a => a.startedAt >= upAt && a.status >= 200 && a.status < 300,
      );
      if (recovered) break;
      await sleep(100);
    }
    await sleep(loadAfterMs);
    sending = false;
    await load;

    const during = attempts.filter(
      a => a.endedAt > downAt && a.endedAt < restartAt,
    );
    const firstAfter = attempts
      .filter(a => a.startedAt >= upAt && a.status >= 200 && a.status < 300)
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    const ids = [...outcomes.keys()];
    const accepted = ids.filter(
      id => outcomes.get(id) >= 200 && outcomes.get(id) < 300,
    );
    const stored = await countStoredDeliveries({
      connectionString: postgres.connectionString,
      prefix,
      keys: ids,
    });
    const acceptedNotStored = accepted.filter(
      id => !stored.deployments.has(id),
    );
    const duplicated = ids.filter(
      id => stored.deployments.get(id) > 1 || stored.deliveries.get(id) > 1,
    );
    const status4xx = attempts.filter(a => a.status >= 300 && a.status < 500);
    const outage5xx = during.filter(a => a.status >= 500).length;
    const outageErrors = during.filter(a => a.error).length;
    const outage2xx = during.filter(a => a.status >= 200 && a.status < 300);
    const slowest = Math.max(0, ...during.map(a => a.endedAt - a.startedAt));
    const recoverMs = firstAfter ? firstAfter.endedAt - upAt : undefined;
    const readiness = await fetch(
      `${backend.baseUrl}/.backstage/health/v1/readiness`,
    ).then(
      r => r.status,
      () => 'down',
    );

    const checks = {
      'senders got 5xx while PostgreSQL was down': outage5xx > 0,
      'no 2xx while down, no 2xx without storage':
        outage2xx.length === 0 && acceptedNotStored.length === 0,
      'no 4xx (retries never turn into refusals)': status4xx.length === 0,
      'same process recovered, no restart':
        !backend.hasExited && backend.pid === pid && readiness === 200,
      'recovered within 30 s of PostgreSQL coming back':
        recoverMs !== undefined && recoverMs <= 30_000,
      'nothing lost: every event accepted and stored once':
        accepted.length === ids.length &&
        ids.every(id => stored.deployments.get(id) === 1),
    };
    return {
      checks,
      numbers: {
        events: ids.length,
        'answered 2xx': accepted.length,
        stored: ids.filter(id => stored.deployments.get(id) === 1).length,
        duplicates: duplicated.length,
        attempts: attempts.length,
        'PostgreSQL port': postgres.port,
        'outage s': Math.round((upAt - stopAt) / 100) / 10,
        '5xx while down': outage5xx,
        'connection errors while down': outageErrors,
        '2xx while down': outage2xx.length,
        'slowest answer while down ms': slowest,
        '4xx': status4xx.length,
        'recovered after ms': recoverMs ?? 'never',
      },
    };
  } finally {
    await stopBackend(backend);
    // The cluster and its databases go with it.
    await postgres.destroy();
  }
}
