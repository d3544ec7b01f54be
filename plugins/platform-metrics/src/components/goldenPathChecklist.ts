import type { Entity } from '@backstage/catalog-model';
import {
  type ServiceCheckId,
  type ServiceCheckResult,
  type ServiceCheckStatus,
  SOURCE_TEMPLATE_ANNOTATION,
  type UnverifiedServiceItem,
} from '@internal/plugin-platform-metrics-common';

export const PROMETHEUS_RULE_ANNOTATION = 'prometheus.io/rule';
const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';

export interface ChecklistRow {
  id: ServiceCheckId;
  /** The golden path's promise, as the template's description names it. */
  promise: string;
  /** What this check looks at, when the promise alone does not say it. */
  label?: string;
  /**
   * The runbook of the generated docs (`runbooks/<name>/`) that fixes a failing
   * check, for checks whose failure one of the generated alerts describes.
   */
  runbook?: { path: string; title: string };
}

// The runbooks under templates/golden-paths/_shared/observability/docs/runbooks.
const unavailable = { path: 'unavailable', title: 'Service unavailable' };
const certificateExpiry = {
  path: 'certificate-expiry',
  title: 'Certificate expiring',
};

/**
 * The six promises of the golden path, then health, in the order a developer
 * reads them. Prometheus scraping sits beside the alerts it feeds.
 */
export const goldenPathChecklist: ChecklistRow[] = [
  { id: 'image', promise: 'Docker image' },
  { id: 'pipeline', promise: 'CI' },
  { id: 'alerts', promise: 'Alerts', label: 'rules loaded' },
  {
    id: 'metrics',
    promise: 'Alerts',
    label: 'Prometheus scrapes it',
    runbook: unavailable,
  },
  { id: 'logs', promise: 'Logs' },
  { id: 'tls', promise: 'TLS', runbook: certificateExpiry },
  { id: 'dns', promise: 'DNS' },
  { id: 'health', promise: 'Health', label: '/readyz', runbook: unavailable },
];

/** "Alerts (Prometheus scrapes it)": a check named the way the checklist shows it. */
export function checkName(id: ServiceCheckId): string {
  const row = goldenPathChecklist.find(r => r.id === id);
  if (!row) return id;
  return row.label ? `${row.promise} (${row.label})` : row.promise;
}

/** A status in words; a check that never ran is "not checked yet", not "unknown". */
export function checkStatusText(
  status: ServiceCheckStatus,
  lastCheckedAt: string | null,
): string {
  if (status === 'unknown' && !lastCheckedAt) return 'Not checked yet';
  return {
    pass: 'Pass',
    fail: 'Failing',
    unknown: 'Unknown',
    'not-configured': 'Not configured',
  }[status];
}

/**
 * Since when a service has been in production without observability: from the
 * oldest failing check's change, but not before its first production deployment.
 */
export function unverifiedSince(item: UnverifiedServiceItem): string {
  const changes = item.failing
    .map(f => f.since)
    .filter((since): since is string => since !== null)
    .sort();
  const oldest = changes[0];
  return oldest && oldest > item.firstProductionDeploymentAt
    ? oldest
    : item.firstProductionDeploymentAt;
}

/** Components the golden path created, or that carry the annotations its checks read. */
export function isGoldenPathService(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    Boolean(
      annotations[SOURCE_TEMPLATE_ANNOTATION] ||
        annotations[PROMETHEUS_RULE_ANNOTATION],
    )
  );
}

/** Where a failing check's fix is written down; undefined when the portal knows no such page. */
export type CheckFixDoc =
  | {
      kind: 'techdocs';
      /** Below the service's docs root, e.g. `runbooks/unavailable/`; '' is the root. */
      path: string;
      title: string;
    }
  | { kind: 'template'; templateRef: string; title: string };

/**
 * Only docs the golden path generated have its runbooks; other services with
 * docs get their docs root, and services without docs the golden path itself.
 */
export function checkFixDoc(
  row: ChecklistRow,
  entity: Entity,
): CheckFixDoc | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const template = annotations[SOURCE_TEMPLATE_ANNOTATION];
  const hasDocs = Boolean(annotations[TECHDOCS_ANNOTATION]);
  if (hasDocs && template) {
    return row.runbook
      ? {
          kind: 'techdocs',
          path: `runbooks/${row.runbook.path}/`,
          title: `Runbook: ${row.runbook.title}`,
        }
      : {
          // The generated docs' table of what the golden path set up, and where.
          kind: 'techdocs',
          path: '#what-you-got',
          title: 'Golden path docs: what you got',
        };
  }
  if (hasDocs) {
    return { kind: 'techdocs', path: '', title: "The service's docs" };
  }
  if (template) {
    return {
      kind: 'template',
      templateRef: template,
      title: 'The golden path it was created from',
    };
  }
  return undefined;
}

/** The row's result; a check the backend did not report has not been run. */
export function resultFor(
  checks: ServiceCheckResult[],
  id: ServiceCheckId,
): ServiceCheckResult {
  return (
    checks.find(c => c.id === id) ?? {
      id,
      status: 'unknown',
      since: null,
      lastCheckedAt: null,
      detail: '',
    }
  );
}
