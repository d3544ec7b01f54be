import { storageApiRef, useApi } from '@backstage/frontend-plugin-api';
import { Alert, Flex, Switch, Text } from '@backstage/ui';
import { useEffect, useState } from 'react';
import { TitledCard } from '../components/TitledCard';
import {
  USAGE_TRACKING_OPT_OUT_KEY,
  browserAsksNotToTrack,
  isOptedOut,
  setOptedOut,
  usageTrackingBucket,
  type PrivacySignals,
} from './usageTrackingPreference';

/** The user's switch for portal usage analytics, on the Settings page. */
export function UsageTrackingSettings({
  signals = typeof navigator === 'undefined'
    ? undefined
    : (navigator as Navigator & PrivacySignals),
}: {
  /** The browser's privacy signals; tests pass their own. */
  signals?: PrivacySignals;
}) {
  const storageApi = useApi(storageApiRef);
  const [optedOut, setState] = useState(() => isOptedOut(storageApi));

  useEffect(() => {
    // The choice can change in another tab or, with central settings storage, another browser.
    const subscription = usageTrackingBucket(storageApi)
      .observe$<boolean>(USAGE_TRACKING_OPT_OUT_KEY)
      .subscribe(snapshot => setState(snapshot.value === true));
    return () => subscription.unsubscribe();
  }, [storageApi]);

  const browserSaysNo = browserAsksNotToTrack(signals);

  return (
    <TitledCard title="Usage analytics">
      <Flex direction="column" gap="3">
        <Text as="p">
          The platform team counts which pages, plugins and templates are used,
          to improve what people use and retire what nobody does. It sees counts
          per team, never who did what: your user is kept only as a keyed hash
          to count distinct people, small teams are not shown, and nothing you
          type is kept except a search that found nothing.
        </Text>
        {browserSaysNo ? (
          <Alert
            status="info"
            icon
            title="Your browser asks not to be tracked"
            description="Do Not Track or Global Privacy Control is on, so this browser sends no usage events, whatever the switch below says."
          />
        ) : null}
        <Switch
          label="Share my portal usage with the platform team"
          isSelected={!optedOut && !browserSaysNo}
          isDisabled={browserSaysNo}
          onChange={selected => {
            setState(!selected);
            void setOptedOut(storageApi, !selected);
          }}
        />
      </Flex>
    </TitledCard>
  );
}
