import { usePermission } from '@backstage/plugin-permission-react';
import { platformMetricsAdminPermission } from '@internal/plugin-platform-metrics-common';
import { Alert, Flex } from '@backstage/ui';
import { BaselineImportCard } from './BaselineImportCard';
import { IngestionSetupCard } from './IngestionSetupCard';
import { ErrorState, LoadingState } from './States';
import { SurveyCampaignsCard } from './SurveyCampaignsCard';

/** Campaigns, baseline import and ingestion setup: the platform team only. */
export function AdminPage() {
  const { loading, allowed, error } = usePermission({
    permission: platformMetricsAdminPermission,
  });
  if (loading) return <LoadingState label="Checking permissions" />;
  if (error) {
    return (
      <ErrorState title="Permissions could not be checked" error={error} />
    );
  }
  if (!allowed) {
    return (
      <Alert
        status="warning"
        icon
        title="Platform team only"
        description="Survey campaigns, baseline imports and ingestion setup are for the platform team (permission platform-metrics.admin). Ask the platform team if you need something changed."
      />
    );
  }
  return (
    <Flex direction="column" gap="4">
      <SurveyCampaignsCard />
      <BaselineImportCard />
      <IngestionSetupCard />
    </Flex>
  );
}
