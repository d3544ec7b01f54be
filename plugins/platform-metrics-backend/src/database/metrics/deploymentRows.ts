import { randomUUID } from 'node:crypto';
import type { ProductionDeploymentFacts } from '../../checks/ServiceVerifications';
import type { AttributedRecord, DeploymentRow } from '../MetricsStore';
import { checkedRow } from './checkedRow';
import { dateFromEpochMs, epochMs } from './epochMs';
import { templateName } from './templateName';

/** The `deployments` columns of a {@link DeploymentRow}. */
export const DEPLOYMENT_COLUMNS = [
  'id',
  'source',
  'entity_ref',
  'team_ref',
  'environment',
  'outcome',
  'deployed_at_ms',
  'golden_template',
  'golden_version',
  'pipeline_id',
];

export function deploymentToRow(
  record: Extract<AttributedRecord, { kind: 'deployment' }>,
) {
  return checkedRow({
    id: randomUUID(),
    source: record.source,
    delivery_key: record.deliveryKey,
    entity_ref: record.attribution.entityRef ?? null,
    team_ref: record.attribution.teamRef ?? null,
    environment: record.environment,
    production: Boolean(record.production),
    outcome: record.outcome,
    deployed_at: record.occurredAt,
    deployed_at_ms: epochMs(record.occurredAt, 'deployment time'),
    golden_template: record.goldenPath?.template ?? null,
    golden_template_name: templateName(record.goldenPath?.template),
    golden_version: record.goldenPath?.version ?? null,
    pipeline_id: record.pipelineId ?? null,
    image_digest: record.imageDigest ?? null,
    observability_declared: Boolean(record.observabilityDeclared),
    baseline: record.source === 'baseline',
  });
}

export function deploymentFromRow(row: Record<string, any>): DeploymentRow {
  return {
    id: row.id,
    source: row.source,
    entityRef: row.entity_ref,
    teamRef: row.team_ref,
    environment: row.environment,
    outcome: row.outcome,
    deployedAt: dateFromEpochMs(row.deployed_at_ms)!,
    goldenTemplate: row.golden_template,
    goldenVersion: row.golden_version,
    pipelineId: row.pipeline_id,
  };
}

/** The columns of a {@link ProductionDeploymentFacts}. */
export const PRODUCTION_DEPLOYMENT_FACT_COLUMNS = [
  'deployed_at_ms',
  'image_digest',
  'pipeline_id',
  'source',
];

export function productionDeploymentFactsFromRow(
  row: Record<string, any>,
): ProductionDeploymentFacts {
  const facts: ProductionDeploymentFacts = {
    deployedAt: dateFromEpochMs(row.deployed_at_ms)!,
    source: row.source,
  };
  if (row.image_digest) facts.imageDigest = row.image_digest;
  if (row.pipeline_id) facts.pipelineId = row.pipeline_id;
  return facts;
}
