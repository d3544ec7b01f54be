import type {
  BaselineImportResult,
  BaselineKind,
} from '@internal/plugin-platform-metrics-common';

export interface BaselineImportRequest {
  kind: BaselineKind;
  /** The parsed JSON body, or the CSV text. */
  body: unknown;
  contentType: 'csv' | 'json';
  /** Validates and previews without storing anything. */
  dryRun: boolean;
}

/** Imports the ticket era (requests and incidents from before the portal). */
export interface BaselineImportService {
  import(request: BaselineImportRequest): Promise<BaselineImportResult>;
}
