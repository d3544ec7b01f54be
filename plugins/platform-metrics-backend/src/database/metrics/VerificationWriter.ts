import { Knex } from 'knex';
import { takeAdvisoryLocks } from './advisoryLocks';
import { recomputeReadiness } from './recomputeReadiness';
import { verificationToRow } from './verificationRows';

/** `verified_at` (or `covered_since`), whichever of the stored and the new is earlier. */
function earlier(column: 'covered_since' | 'verified_at', ms: boolean) {
  const value = ms ? `${column}_ms` : column;
  // A null new value compares as unknown: the stored one stays.
  return `CASE WHEN service_verifications.${column}_ms IS NULL
      OR excluded.${column}_ms < service_verifications.${column}_ms
    THEN excluded.${value} ELSE service_verifications.${value} END`;
}

/**
 * Records which services the live checks cover and when each was verified, and
 * moves the end of their requests' lead time to it, under the entity's advisory
 * lock that ingestion takes, in one transaction.
 *
 * Both instants only ever move earlier. `verifiedAt` is the first time the
 * checks all passed, so a later time (a reopened failure passing again) or null
 * (failing now) leaves it as it is, while an earlier one is a correction (a
 * replica that recorded a later cycle first). Because the stored value is the
 * minimum of everything recorded, the order of the calls does not matter.
 */
export class VerificationWriter {
  constructor(
    private readonly db: Knex,
    private readonly isPostgres: boolean,
  ) {}

  async record(
    entityRef: string,
    state: { coveredSince: Date; verifiedAt: Date | null },
  ): Promise<void> {
    const row = verificationToRow(entityRef, state);
    await this.db.transaction(async tx => {
      if (this.isPostgres) {
        await takeAdvisoryLocks(tx, [`entity:${entityRef}`]);
      }
      await tx('service_verifications')
        .insert(row)
        .onConflict('entity_ref')
        .merge({
          covered_since: tx.raw(earlier('covered_since', false)),
          covered_since_ms: tx.raw(earlier('covered_since', true)),
          verified_at: tx.raw(earlier('verified_at', false)),
          verified_at_ms: tx.raw(earlier('verified_at', true)),
        });
      await recomputeReadiness(tx, [entityRef], this.isPostgres);
    });
  }
}
