import type { StorageApi } from '@backstage/frontend-plugin-api';

/** Where the user's choice lives in the storage API (per user, per browser unless the app stores settings centrally). */
export const USAGE_TRACKING_BUCKET = 'platform-metrics.usage-tracking';
export const USAGE_TRACKING_OPT_OUT_KEY = 'optedOut';

/** The parts of `navigator` that carry the browser's privacy signals. */
export interface PrivacySignals {
  doNotTrack?: string | null;
  globalPrivacyControl?: boolean;
}

/** Do-Not-Track or Global Privacy Control is on in this browser. */
export function browserAsksNotToTrack(signals: PrivacySignals | undefined) {
  return (
    signals?.doNotTrack === '1' ||
    signals?.doNotTrack === 'yes' ||
    signals?.globalPrivacyControl === true
  );
}

export function usageTrackingBucket(storageApi: StorageApi) {
  return storageApi.forBucket(USAGE_TRACKING_BUCKET);
}

export function isOptedOut(storageApi: StorageApi): boolean {
  return (
    usageTrackingBucket(storageApi).snapshot<boolean>(
      USAGE_TRACKING_OPT_OUT_KEY,
    ).value === true
  );
}

export async function setOptedOut(
  storageApi: StorageApi,
  optedOut: boolean,
): Promise<void> {
  await usageTrackingBucket(storageApi).set(
    USAGE_TRACKING_OPT_OUT_KEY,
    optedOut,
  );
}
