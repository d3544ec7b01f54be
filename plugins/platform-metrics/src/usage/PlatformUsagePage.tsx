import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { platformMetricsUsageReadPermission } from '@internal/plugin-platform-metrics-common';
import { Alert, Container, Flex, Select, Text } from '@backstage/ui';
import { useMemo, useState } from 'react';
import { platformMetricsApiRef } from '../api';
import {
  formatDay,
  lastDay,
  periodFor,
  periodPresetLabels,
  type PeriodPreset,
} from '../components/periods';
import { ErrorState, LoadingState } from '../components/States';
import { TitledCard } from '../components/TitledCard';
import { useAsyncData } from '../components/useAsyncData';
import { FeatureUsageSection } from './FeatureUsageSection';
import { TemplateFunnelTable } from './TemplateFunnelTable';

type UsagePeriod = Exclude<PeriodPreset, 'custom'>;
const presets: UsagePeriod[] = ['quarter', 'previous-quarter', 'year'];

function UsageDashboard() {
  const api = useApi(platformMetricsApiRef);
  const [preset, setPreset] = useState<UsagePeriod>('quarter');
  const period = useMemo(() => periodFor(preset, new Date()), [preset]);
  const filePrefix = `platform-usage-${formatDay(period.from)}-${lastDay(
    period,
  )}`;
  const funnel = useAsyncData(
    () => api.getTemplateFunnel(period),
    [api, period.from, period.to],
  );

  return (
    <Flex direction="column" gap="4">
      <Select
        label="Period"
        name="period"
        selectedKey={preset}
        onSelectionChange={key => setPreset(key as UsagePeriod)}
        options={presets.map(id => ({ id, label: periodPresetLabels[id] }))}
      />
      <TitledCard title="Golden paths: from the opened form to a verified service">
        {funnel.error && (
          <ErrorState
            title="The template funnel could not be loaded"
            error={funnel.error}
            onRetry={funnel.retry}
          />
        )}
        {!funnel.error && !funnel.value && (
          <LoadingState label="Loading the template funnel" />
        )}
        {funnel.value && (
          <Flex direction="column" gap="3">
            {funnel.value.taskOutcomes === 'unavailable' && (
              <Alert
                status="warning"
                icon
                title="Task outcomes are missing"
                description="The scaffolder could not be asked for its tasks, so succeeded, failed and started via API show 0 for want of data, not because nothing happened."
              />
            )}
            <TemplateFunnelTable
              items={funnel.value.items}
              fileName={`${filePrefix}-template-funnel.csv`}
            />
          </Flex>
        )}
      </TitledCard>
      <FeatureUsageSection period={period} filePrefix={filePrefix} />
    </Flex>
  );
}

/**
 * "Platform usage": what people use in the portal, where they give up and what
 * nobody uses. Activity, not value: the four value metrics stay on Platform value.
 */
export function PlatformUsagePage() {
  const { loading, allowed, error } = usePermission({
    permission: platformMetricsUsageReadPermission,
  });
  let content;
  if (loading) content = <LoadingState label="Checking permissions" />;
  else if (error) {
    content = (
      <ErrorState title="Permissions could not be checked" error={error} />
    );
  } else if (!allowed) {
    content = (
      <Alert
        status="warning"
        icon
        title="Platform team only"
        description="Portal usage is for the platform team (permission platform-metrics.usage.read). It shows counts per team, never what one person did."
      />
    );
  } else content = <UsageDashboard />;

  return (
    <Container>
      <Flex direction="column" gap="4" py="4">
        <Text as="p" color="secondary">
          Activity, not value: how the portal and its golden paths are used,
          where people give up, and what nobody uses. Whether the platform
          creates value is on Platform value (lead time, golden-path adoption,
          MTTR, satisfaction). People who turned usage analytics off or send Do
          Not Track are not counted.
        </Text>
        {content}
      </Flex>
    </Container>
  );
}
