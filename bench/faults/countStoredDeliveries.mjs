import pg from 'pg';
import { databaseUrl } from './databaseUrl.mjs';

/**
 * How often each delivery key is stored in the platform-metrics database: in
 * `deployments` (the record) and in `ingest_deliveries` (the dedup ledger).
 * Keys that are not stored are absent from both maps.
 */
export async function countStoredDeliveries({
  connectionString,
  prefix,
  keys,
}) {
  const client = new pg.Client({
    connectionString: databaseUrl(
      connectionString,
      `${prefix}platform-metrics`,
    ),
  });
  await client.connect();
  try {
    const count = async table => {
      const { rows } = await client.query(
        `SELECT delivery_key, count(*)::int AS n FROM ${table}
          WHERE source = 'cdevents' AND delivery_key = ANY($1)
          GROUP BY delivery_key`,
        [keys],
      );
      return new Map(rows.map(r => [r.delivery_key, r.n]));
    };
    return {
      deployments: await count('deployments'),
      deliveries: await count('ingest_deliveries'),
    };
  } finally {
    await client.end();
  }
}
