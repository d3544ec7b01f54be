import { useApi } from '@backstage/frontend-plugin-api';
import type {
  BaselineImportResult,
  BaselineKind,
} from '@internal/plugin-platform-metrics-common';
import {
  Alert,
  Button,
  Flex,
  Select,
  Text,
  TextAreaField,
} from '@backstage/ui';
import { useState } from 'react';
import { platformMetricsApiRef } from '../api';
import { DataTable } from './DataTable';
import { ErrorState } from './States';
import { TitledCard } from './TitledCard';

const BASELINE_COLUMNS: Record<BaselineKind, string> = {
  'service-requests':
    'requested_at,in_production_at,team,ticket_id,service (ticket_id and service optional)',
  incidents:
    'started_at,resolved_at,team,ticket_id,service,severity (last three optional)',
};

/** Ticket-era rows from CSV: a preview with every bad row, then the import. */
export function BaselineImportCard() {
  const api = useApi(platformMetricsApiRef);
  const [kind, setKind] = useState<BaselineKind>('service-requests');
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<BaselineImportResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.importBaseline({ kind, dryRun, body: csv }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const previewColumns = Object.keys(result?.preview[0] ?? {}).map(key => ({
    title: key,
    value: (row: Record<string, string | null>) => row[key],
  }));

  return (
    <TitledCard title="Baseline import">
      <Flex direction="column" gap="3">
        <Text>
          Import the ticket era so the dashboard can compare before with after.
          Columns: <code>{BASELINE_COLUMNS[kind]}</code>. Importing the same
          file twice stores nothing new.
        </Text>
        <Select
          label="Kind"
          selectedKey={kind}
          onSelectionChange={k => {
            setKind(k as BaselineKind);
            setResult(undefined);
          }}
          options={[
            { id: 'service-requests', label: 'Service requests' },
            { id: 'incidents', label: 'Incidents' },
          ]}
        />
        <TextAreaField
          label="CSV"
          value={csv}
          onChange={v => {
            setCsv(v);
            setResult(undefined);
          }}
        />
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          onChange={async e => {
            const file = e.target.files?.[0];
            if (file) {
              setCsv(await file.text());
              setResult(undefined);
            }
          }}
        />
        <Flex gap="2">
          <Button
            variant="secondary"
            isDisabled={!csv.trim() || busy}
            onPress={() => send(true)}
          >
            Preview
          </Button>
          <Button
            isDisabled={!result?.dryRun || result.valid === 0 || busy}
            onPress={() => send(false)}
          >
            Import {result?.dryRun ? `${result.valid} valid rows` : ''}
          </Button>
        </Flex>
        {error && <ErrorState title="The import failed" error={error} />}
        {result && !result.dryRun && (
          <Alert
            status="success"
            title={`Imported: ${result.stored} stored, ${result.duplicates} already present`}
          />
        )}
        {result && (
          <Text>
            {result.rows} rows, {result.valid} valid, {result.errors.length}{' '}
            errors
          </Text>
        )}
        {result && result.errors.length > 0 && (
          <DataTable
            title="Rows with errors"
            fileName="baseline-errors.csv"
            rows={result.errors}
            rowKey={(e, i) => `${e.row}-${e.field}-${i}`}
            emptyMessage="No errors."
            columns={[
              { title: 'row', value: e => e.row },
              { title: 'field', value: e => e.field },
              { title: 'problem', value: e => e.message },
            ]}
          />
        )}
        {result?.dryRun && result.preview.length > 0 && (
          <DataTable
            title="Preview of what will be imported"
            fileName="baseline-preview.csv"
            rows={result.preview}
            rowKey={(_, i) => String(i)}
            emptyMessage="No valid rows."
            columns={previewColumns}
          />
        )}
      </Flex>
    </TitledCard>
  );
}
