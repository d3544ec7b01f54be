import { checkedRow } from './checkedRow';
import { epochMs } from './epochMs';

/** The `service_verifications` row of one `recordVerification` call. */
export function verificationToRow(
  entityRef: string,
  state: { coveredSince: Date; verifiedAt: Date | null },
) {
  return checkedRow({
    entity_ref: entityRef,
    covered_since: state.coveredSince,
    covered_since_ms: epochMs(state.coveredSince, 'coveredSince'),
    verified_at: state.verifiedAt,
    verified_at_ms: state.verifiedAt
      ? epochMs(state.verifiedAt, 'verifiedAt')
      : null,
  });
}
