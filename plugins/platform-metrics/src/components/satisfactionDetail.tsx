import type { SurveyMetricDetail } from './metricDetails';
import { SurveyResultsView } from './SurveyResultsView';
import type { MetricsFilterState } from './useMetricsFilter';

function SatisfactionResults({ filter }: { filter: MetricsFilterState }) {
  return <SurveyResultsView team={filter.team} />;
}

/** Satisfaction is the latest closed survey campaign, for the selected team. */
export const satisfactionDetail: SurveyMetricDetail = {
  kind: 'survey',
  Results: SatisfactionResults,
};
