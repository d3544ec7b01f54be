import { useApi } from '@backstage/frontend-plugin-api';
import { TitledCard } from './TitledCard';
import type {
  SurveyGroupResult,
  SurveySuppressionReason,
} from '@internal/plugin-platform-metrics-common';
import { Flex, Text } from '@backstage/ui';
import { platformMetricsApiRef } from '../api';
import { DataTable } from './DataTable';
import { EntityLink } from './EntityLink';
import { formatPercent } from './format';
import { EmptyState, ErrorState, LoadingState } from './States';
import { useAsyncData } from './useAsyncData';

function suppressionText(
  reason: SurveySuppressionReason | undefined,
  minimumGroupSize: number,
): string {
  if (reason === 'protects-another-group') {
    return 'Hidden to protect another group: showing it would let a smaller group be worked out by subtraction.';
  }
  return `Hidden: fewer than ${minimumGroupSize} responses, the minimum group size.`;
}

const value = (group: SurveyGroupResult, text: string) =>
  group.suppressed ? null : text;

/** Survey results of the latest closed campaign, with suppressed groups explained. */
export function SurveyResultsView({ team }: { team?: string }) {
  const api = useApi(platformMetricsApiRef);
  const results = useAsyncData(
    () => api.getSurveyResults({ team }),
    [api, team],
  );

  if (results.error) {
    return (
      <ErrorState
        title="Survey results could not be loaded"
        error={results.error}
        onRetry={results.retry}
      />
    );
  }
  if (!results.value) return <LoadingState label="Loading survey results" />;
  const { overall, teams, campaigns, minimumGroupSize } = results.value;
  if (campaigns.length === 0 || overall.responses === 0) {
    return (
      <EmptyState title="No survey results yet">
        Results appear once a campaign has closed with answers. The platform
        team opens a campaign under Admin → Survey campaigns; everyone signed in
        then sees a prompt to answer it.
      </EmptyState>
    );
  }

  return (
    <TitledCard
      label="Survey results"
      title={`Survey results: ${campaigns.map(c => c.title).join(', ')}`}
    >
      <Flex direction="column" gap="4">
        {overall.suppressed ? (
          <Text color="warning">
            {suppressionText(overall.reason, minimumGroupSize)}
          </Text>
        ) : (
          <Text>
            {formatPercent(overall.percentFavourable)} favourable, mean{' '}
            {overall.mean?.toFixed(2) ?? '–'} (n = {overall.reportedResponses})
          </Text>
        )}
        <DataTable
          title="Questions"
          fileName="survey-questions.csv"
          rows={overall.suppressed ? [] : overall.questions}
          rowKey={q => q.questionId}
          emptyMessage={suppressionText(overall.reason, minimumGroupSize)}
          columns={[
            { title: 'question', value: q => q.text },
            { title: 'answers', value: q => q.answers },
            {
              title: 'favourable',
              value: q => formatPercent(q.percentFavourable),
            },
            { title: 'mean', value: q => q.mean?.toFixed(2) ?? null },
          ]}
        />
        <DataTable
          title="By team"
          fileName="survey-teams.csv"
          rows={teams}
          rowKey={(g, i) => `${g.team ?? 'none'}-${i}`}
          emptyMessage="No team has answered yet."
          columns={[
            {
              title: 'team',
              value: g => g.team ?? 'no team',
              render: g =>
                g.team ? <EntityLink entityRef={g.team} /> : 'no team',
            },
            {
              title: 'favourable',
              value: g => value(g, formatPercent(g.percentFavourable)),
              render: g =>
                g.suppressed
                  ? suppressionText(g.reason, minimumGroupSize)
                  : formatPercent(g.percentFavourable),
            },
            {
              title: 'mean',
              value: g => value(g, g.mean?.toFixed(2) ?? '–'),
            },
            {
              title: 'participation',
              value: g =>
                value(g, formatPercent(g.participationPercent ?? null)),
            },
            {
              title: 'status',
              value: g => (g.suppressed ? `hidden: ${g.reason}` : 'shown'),
            },
          ]}
        />
        {overall.comments && overall.comments.length > 0 && (
          <Flex direction="column" gap="1">
            <Text as="h3" variant="title-x-small">
              Comments
            </Text>
            {overall.comments.map((c, i) => (
              <Text key={i}>“{c}”</Text>
            ))}
          </Flex>
        )}
      </Flex>
    </TitledCard>
  );
}
