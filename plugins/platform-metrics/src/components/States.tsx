import { Alert, Button, Flex, Skeleton, Text } from '@backstage/ui';
import type { ReactNode } from 'react';

export function LoadingState({ label }: { label: string }) {
  return (
    <Flex direction="column" gap="2" role="status" aria-label={label}>
      <Skeleton width="40%" height={20} />
      <Skeleton width="100%" height={80} />
    </Flex>
  );
}

export function ErrorState({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: Error;
  onRetry?: () => void;
}) {
  return (
    <Alert
      status="danger"
      icon
      title={title}
      description={error.message}
      customActions={
        onRetry && (
          <Button size="small" variant="secondary" onPress={onRetry}>
            Try again
          </Button>
        )
      }
    />
  );
}

/** Says what is missing and how to get data flowing. */
export function EmptyState({
  title,
  children,
}: {
  title: string;
  children: ReactNode;
}) {
  return (
    <Alert
      status="info"
      icon
      title={title}
      description={<Text as="div">{children}</Text>}
    />
  );
}

export const howToGetData = (
  <>
    Data arrives from the tools teams already use: point GitHub or GitLab
    deployment webhooks, PagerDuty or Alertmanager, and CDEvents from pipelines
    at the portal (see <strong>Admin → Ingestion setup</strong> for the exact
    URLs and headers), and import the ticket-era baseline as CSV.
  </>
);

/** The empty message of a drill-down list of ingested events. */
export const nothingInSelection = (
  <>Nothing in this selection. {howToGetData}</>
);
