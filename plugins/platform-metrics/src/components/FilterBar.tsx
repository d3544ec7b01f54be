import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useApi } from '@backstage/frontend-plugin-api';
import { Flex, Select, Text } from '@backstage/ui';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  PeriodPreset,
  formatDay,
  lastDay,
  periodPresetLabels,
} from './periods';
import type { MetricsFilterState } from './useMetricsFilter';
import { useAsyncData } from './useAsyncData';

const ALL = 'all';

/** Period, team and template pickers; teams and templates come from the catalog. */
export function FilterBar({ filter }: { filter: MetricsFilterState }) {
  const catalogApi = useApi(catalogApiRef);
  const options = useAsyncData(async () => {
    const [groups, templates] = await Promise.all([
      catalogApi.getEntities({
        // Teams only: departments and the organisation own no services.
        filter: { kind: 'Group', 'spec.type': 'team' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
        ],
      }),
      catalogApi.getEntities({
        filter: { kind: 'Template' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
        ],
      }),
    ]);
    const toOption =
      (useRef: boolean) => (entity: (typeof groups.items)[0]) => ({
        id: useRef ? stringifyEntityRef(entity) : entity.metadata.name,
        label: entity.metadata.title ?? entity.metadata.name,
      });
    const byLabel = (a: { label: string }, b: { label: string }) =>
      a.label.localeCompare(b.label);
    return {
      teams: groups.items.map(toOption(true)).sort(byLabel),
      templates: templates.items.map(toOption(false)).sort(byLabel),
    };
  }, [catalogApi]);

  const period = { from: filter.query.from, to: filter.query.to };

  return (
    <Flex gap="4" align="end" style={{ flexWrap: 'wrap' }}>
      <Select
        label="Period"
        name="period"
        selectedKey={filter.preset}
        onSelectionChange={key => {
          const preset = String(key) as PeriodPreset;
          filter.update(
            preset === 'custom'
              ? {
                  period: preset,
                  from: formatDay(period.from),
                  to: lastDay(period),
                }
              : { period: preset, from: undefined, to: undefined },
          );
        }}
        options={Object.entries(periodPresetLabels).map(([id, label]) => ({
          id,
          label,
        }))}
      />
      {filter.preset === 'custom' && (
        <Flex gap="2" align="end">
          <label>
            <Text variant="body-small">From</Text>
            <br />
            <input
              type="date"
              aria-label="From"
              value={filter.customFrom ?? formatDay(period.from)}
              onChange={e => filter.update({ from: e.target.value })}
            />
          </label>
          <label>
            <Text variant="body-small">To (inclusive)</Text>
            <br />
            <input
              type="date"
              aria-label="To"
              value={filter.customTo ?? lastDay(period)}
              onChange={e => filter.update({ to: e.target.value })}
            />
          </label>
        </Flex>
      )}
      <Select
        label="Team"
        name="team"
        selectedKey={filter.team ?? ALL}
        onSelectionChange={key =>
          filter.update({ team: key === ALL ? undefined : String(key) })
        }
        options={[
          { id: ALL, label: 'All teams' },
          ...(options.value?.teams ?? []),
        ]}
      />
      <Select
        label="Template"
        name="template"
        selectedKey={filter.template ?? ALL}
        onSelectionChange={key =>
          filter.update({ template: key === ALL ? undefined : String(key) })
        }
        options={[
          { id: ALL, label: 'All templates' },
          ...(options.value?.templates ?? []),
        ]}
      />
      {options.error && (
        <Text color="danger" variant="body-small">
          Teams could not be loaded from the catalog: {options.error.message}
        </Text>
      )}
      <Text variant="body-small" color="secondary">
        {formatDay(period.from)} to {lastDay(period)} (UTC)
      </Text>
    </Flex>
  );
}
