import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import type {
  IncidentEventRecord,
  IngestRecord,
  ServiceRequestRecord,
} from '../ingestion/types';
import type {
  BaselineImportResult,
  BaselineRowError,
} from '@internal/plugin-platform-metrics-common';
import type {
  BaselineImportRequest,
  BaselineImportService,
} from './BaselineImportService';
import type { IngestionService } from './IngestionService';

const MAX_ROWS = 50_000;
const PREVIEW_ROWS = 20;

/**
 * The shape is checked first: Date.parse alone reads `' OR '1'='1` or `x 12` as dates
 * in 2001. Within the shape, Date.parse keeps reading zone-less times as it always has.
 */
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?(?:Z|UTC|[+-]\d{2}:?\d{2}))?)?$/i;

const timestamp = z
  .string()
  .trim()
  .refine(
    v => ISO_8601.test(v) && !Number.isNaN(Date.parse(v)),
    'expected an ISO 8601 date or timestamp',
  )
  .transform(v => new Date(v));
const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform(v => (v ? v : undefined));
const teamRef = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200)
  .transform(v => (v.includes(':') ? v : `group:default/${v}`));

const serviceRequestRow = z
  .object({
    requested_at: timestamp,
    in_production_at: timestamp,
    team: teamRef,
    ticket_id: optionalText,
    service: optionalText,
  })
  .refine(r => r.in_production_at >= r.requested_at, {
    path: ['in_production_at'],
    message: 'is before requested_at',
  });

const incidentRow = z
  .object({
    started_at: timestamp,
    resolved_at: timestamp,
    team: teamRef,
    ticket_id: optionalText,
    service: optionalText,
    severity: optionalText,
  })
  .refine(r => r.resolved_at >= r.started_at, {
    path: ['resolved_at'],
    message: 'is before started_at',
  });

/**
 * Imports the ticket era (requests and incidents from before the portal) so the
 * dashboard can compare before with after. Rows are keyed by ticket id, or by their
 * content, so importing the same file twice stores nothing new.
 */
export class DefaultBaselineImportService implements BaselineImportService {
  private constructor(private readonly ingestion: IngestionService) {}

  static create(options: { ingestion: IngestionService }) {
    return new DefaultBaselineImportService(options.ingestion);
  }

  async import(options: BaselineImportRequest): Promise<BaselineImportResult> {
    const rows = readRows(options.body, options.contentType);
    const errors: BaselineRowError[] = [];
    const records: IngestRecord[] = [];
    const preview: Record<string, string | null>[] = [];

    rows.forEach((raw, index) => {
      const row = index + 1;
      const schema =
        options.kind === 'service-requests' ? serviceRequestRow : incidentRow;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push({
            row,
            field: issue.path.join('.') || '(row)',
            message: issue.message,
          });
        }
        return;
      }
      const key =
        parsed.data.ticket_id ??
        createHash('sha256').update(JSON.stringify(raw)).digest('hex');
      if (preview.length < PREVIEW_ROWS) {
        preview.push(
          Object.fromEntries(
            Object.entries(parsed.data).map(([k, v]) => [
              k,
              v instanceof Date ? v.toISOString() : v ?? null,
            ]),
          ),
        );
      }
      if ('requested_at' in parsed.data) {
        records.push(toServiceRequest(parsed.data, key));
      } else {
        records.push(...toIncidentEvents(parsed.data, key));
      }
    });

    // A file with any bad row is not imported at all: half an import would skew
    // the baseline without anyone noticing.
    const result = {
      dryRun: options.dryRun,
      rows: rows.length,
      valid: rows.length - new Set(errors.map(e => e.row)).size,
      errors,
      preview,
      stored: 0,
      duplicates: 0,
    };
    if (options.dryRun || errors.length > 0) return result;
    const { stored, duplicates } = await this.ingestion.ingest(records);
    return { ...result, stored, duplicates };
  }
}

function readRows(body: unknown, contentType: 'csv' | 'json'): unknown[] {
  let rows: unknown;
  if (contentType === 'csv') {
    if (typeof body !== 'string' || body.trim() === '') {
      throw new InputError('body: expected CSV text with a header row');
    }
    try {
      rows = parseCsv(body, {
        columns: header => header.map((h: string) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
      });
    } catch (error) {
      throw new InputError(`body: not valid CSV: ${(error as Error).message}`);
    }
  } else {
    rows = body;
  }
  if (!Array.isArray(rows)) {
    throw new InputError('body: expected a JSON array of rows');
  }
  if (rows.length > MAX_ROWS) {
    throw new InputError(`body: at most ${MAX_ROWS} rows per import`);
  }
  return rows;
}

function serviceRef(service: string | undefined, key: string) {
  if (!service) return `component:default/ticket-${slug(key)}`;
  return service.includes(':') ? service : `component:default/${service}`;
}

function slug(value: string) {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 60);
}

function toServiceRequest(
  row: z.infer<typeof serviceRequestRow>,
  key: string,
): ServiceRequestRecord {
  return {
    kind: 'service-request',
    source: 'baseline',
    deliveryKey: `request:${key}`,
    entityRef: serviceRef(row.service, key),
    team: row.team,
    requestedAt: row.requested_at,
    inProductionAt: row.in_production_at,
    ticketId: row.ticket_id,
  };
}

function toIncidentEvents(
  row: z.infer<typeof incidentRow>,
  key: string,
): IncidentEventRecord[] {
  const common = {
    kind: 'incident' as const,
    source: 'baseline' as const,
    incidentKey: key,
    severity: row.severity,
    title: row.ticket_id,
    service: row.service
      ? { entityRef: serviceRef(row.service, key) }
      : undefined,
  };
  return [
    {
      ...common,
      deliveryKey: `incident:${key}:triggered`,
      type: 'triggered',
      occurredAt: row.started_at,
    },
    {
      ...common,
      deliveryKey: `incident:${key}:resolved`,
      type: 'resolved',
      occurredAt: row.resolved_at,
    },
  ];
}
