import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { chunks } from './chunks';

/** Namespace of this plugin's PostgreSQL advisory locks (two-key form). */
const LOCK_NAMESPACE = 0x504d4554; // 'PMET'

/** The lock id of a key such as `entity:<ref>`, in the namespace's key space. */
function advisoryLockId(key: string): number {
  return createHash('sha256').update(key).digest().readInt32BE(0);
}

/**
 * PostgreSQL: transaction-scoped advisory locks, taken in one sorted order so that
 * concurrent ingests cannot deadlock. Each later statement sees what the previous
 * holder committed (READ COMMITTED takes a new snapshot per statement).
 */
export async function takeAdvisoryLocks(
  tx: Knex.Transaction,
  keys: string[],
): Promise<void> {
  const ids = [...new Set(keys.map(advisoryLockId))].sort((a, b) => a - b);
  for (const chunk of chunks(ids, 5000)) {
    // Volatile functions in the select list run after the sort: locks in order.
    await tx.raw(
      'SELECT pg_advisory_xact_lock(?, k) FROM unnest(?::int[]) AS t(k) ORDER BY k',
      [LOCK_NAMESPACE, chunk],
    );
  }
}

/**
 * PostgreSQL: the transaction-scoped advisory lock of `key` if no one holds it;
 * false, without waiting, if someone does.
 */
export async function tryAdvisoryLock(
  tx: Knex.Transaction,
  key: string,
): Promise<boolean> {
  const { rows } = await tx.raw(
    'SELECT pg_try_advisory_xact_lock(?, ?) AS locked',
    [LOCK_NAMESPACE, advisoryLockId(key)],
  );
  return Boolean(rows[0].locked);
}
