import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  ServiceCheckId,
  ServiceCheckStatus,
} from '@internal/plugin-platform-metrics-common';
import type { AttributedRecord } from './ingestRecords';
import type { PlatformMetricsIngestionSource } from './ingestionSources';

/** One check's outcome in a seeded cycle of live checks. */
export interface PlatformMetricsSeedCheckOutcome {
  checkId: ServiceCheckId;
  status: ServiceCheckStatus;
  detail: string;
}

/** One anonymous survey response, as the survey store keeps it. */
export interface PlatformMetricsSeedResponse {
  campaignId: string;
  /** Stands for the respondent: one response per hash and campaign. */
  participantHash: string;
  teamRef: string | null;
  answers: Array<{ questionId: string; value: number }>;
  comment: string | null;
}

/** A usage event of a past day, for a seeded history of portal usage. */
export interface PlatformMetricsSeedUsageEvent {
  /** Taken as is: a history is not clamped to the last day as live events are. */
  occurredAt: Date;
  action: 'navigate' | 'click' | 'create' | 'search' | 'discover';
  subject: string;
  pluginId?: string;
  templateRef?: string;
  taskId?: string;
  value?: number;
  searchTerm?: string;
  /** Hashed with the plugin's key as a live user is; never stored. */
  userEntityRef: string;
  teamRef: string | null;
}

/**
 * The plugin's stores as a seeder sees them: enough to fill an empty database with
 * a history, at the history's own dates.
 */
export interface PlatformMetricsSeedTarget {
  metrics: {
    /** Whether any live deployment is stored; a seeder leaves such a database alone. */
    hasDeployments(): Promise<boolean>;
    /**
     * Stores records with the attribution they carry, in one transaction, skipping
     * any whose (source, deliveryKey) was stored before.
     */
    ingest(records: AttributedRecord[]): Promise<void>;
  };
  survey: {
    /** The ids of the questions a new campaign asks. */
    readonly defaultQuestionIds: readonly string[];
    listCampaigns(): Promise<Array<{ id: string; quarter: string }>>;
    /** A draft asking the default questions; the plugin's validation applies. */
    createCampaign(campaign: {
      title: string;
      quarter: string;
      opensAt: Date;
      closesAt: Date;
    }): Promise<{ id: string }>;
    /** Opens a draft as of `at`; false when it is not a draft or another is open. */
    openCampaign(campaignId: string, at: Date): Promise<boolean>;
    /** Closes an open campaign as of `at`; false when it was not open. */
    closeCampaign(campaignId: string, at: Date): Promise<boolean>;
    /** Stores a response as of `at`; nothing when the hash already answered. */
    submitResponse(
      response: PlatformMetricsSeedResponse,
      at: Date,
    ): Promise<void>;
  };
  checks: {
    /** Whether any check result is stored; a seeder leaves such a database alone. */
    hasResults(): Promise<boolean>;
    /**
     * Stores one cycle of a service's live checks as of `at`, with the runner's
     * rules (transitions on change, verification); cycles in time order.
     */
    recordCycle(
      service: { entityRef: string; teamRef: string | null },
      at: Date,
      outcomes: PlatformMetricsSeedCheckOutcome[],
    ): Promise<void>;
  };
  usage: {
    /** Whether any usage is recorded; a seeder leaves such a database alone. */
    hasEvents(): Promise<boolean>;
    /** Records the events with their rollups, as live events are recorded. */
    record(events: PlatformMetricsSeedUsageEvent[]): Promise<void>;
  };
}

/** Fills the plugin's stores, e.g. with demo data in development. */
export interface PlatformMetricsSeeder {
  /**
   * Called once while the plugin starts, when its stores are ready. The seeder
   * decides when to write (it may schedule a task) and must not block start-up.
   */
  start(target: PlatformMetricsSeedTarget): Promise<void>;
}

export interface PlatformMetricsSeedingExtensionPoint {
  addSeeder(seeder: PlatformMetricsSeeder): void;
}

/** Lets a module of the platform-metrics plugin fill its stores. */
export const platformMetricsSeedingExtensionPoint =
  createExtensionPoint<PlatformMetricsSeedingExtensionPoint>({
    id: 'platform-metrics.seeding',
  });

export interface PlatformMetricsIngestionExtensionPoint {
  /**
   * Adds senders of deployments or incidents, each served at
   * `/v1/webhooks/<id>`. The plugin refuses to start when two sources share an id.
   */
  addSource(
    ...sources: Array<
      PlatformMetricsIngestionSource | PlatformMetricsIngestionSource[]
    >
  ): void;
}

/** Lets a module of the platform-metrics plugin add an ingestion source. */
export const platformMetricsIngestionExtensionPoint =
  createExtensionPoint<PlatformMetricsIngestionExtensionPoint>({
    id: 'platform-metrics.ingestion',
  });
