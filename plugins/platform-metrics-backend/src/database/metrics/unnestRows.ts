/** PostgreSQL types of the columns that are not text, for {@link unnestRows}. */
const PG_COLUMN_TYPES: Record<string, string> = {
  id: 'uuid',
  production: 'boolean',
  observability_declared: 'boolean',
  observability_verified: 'boolean',
  baseline: 'boolean',
  deployed_at: 'timestamptz',
  occurred_at: 'timestamptz',
  requested_at: 'timestamptz',
  ready_at: 'timestamptz',
  deployed_at_ms: 'bigint',
  occurred_at_ms: 'bigint',
  requested_at_ms: 'bigint',
  ready_at_ms: 'bigint',
};

/**
 * PostgreSQL: `unnest(?::type[], …) WITH ORDINALITY AS v(columns…, ord)` over `rows`
 * (all with the same keys, from one `toRow` function), pushing one array per column
 * to `bindings`. Column names come from this package's row functions, never from
 * input.
 */
export function unnestRows(
  rows: Record<string, unknown>[],
  bindings: unknown[],
): string {
  const columns = Object.keys(rows[0]);
  for (const column of columns) {
    bindings.push(rows.map(row => row[column] ?? null));
  }
  const types = columns.map(c => `?::${PG_COLUMN_TYPES[c] ?? 'text'}[]`);
  return `unnest(${types.join(', ')}) WITH ORDINALITY AS v(${columns.join(
    ', ',
  )}, ord)`;
}
