import { InputError } from '@backstage/errors';

/** Lengths of the bounded text columns (see the migration). */
const MAX_LENGTH: Record<string, number> = {
  source: 32,
  kind: 32,
  type: 16,
  outcome: 16,
  severity: 64,
  delivery_key: 255,
  incident_key: 255,
  entity_ref: 255,
  team_ref: 255,
  environment: 255,
  golden_template: 255,
  golden_template_name: 255,
  golden_version: 255,
  pipeline_id: 255,
  image_digest: 255,
  template: 255,
  template_name: 255,
  template_version: 255,
  ticket_id: 255,
};

/**
 * Rejects values longer than their column, which PostgreSQL would refuse with a
 * database error and SQLite would silently accept.
 */
export function checkedRow<T extends Record<string, unknown>>(row: T): T {
  for (const [column, value] of Object.entries(row)) {
    const max = MAX_LENGTH[column];
    if (max !== undefined && typeof value === 'string' && value.length > max) {
      throw new InputError(`${column} is longer than ${max} characters`);
    }
  }
  return row;
}
