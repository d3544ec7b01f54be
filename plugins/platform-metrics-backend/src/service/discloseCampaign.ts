import type { SurveySuppressionReason } from '@internal/plugin-platform-metrics-common';

/** Who may be shown of one campaign's respondents. */
export interface CampaignDisclosure {
  /** Every response of the campaign. */
  total: number;
  /** Set when the campaign as a whole has too few responses to be shown. */
  overall?: SurveySuppressionReason;
  /** The teams (null: no team) that must not be shown, and why. */
  hidden: Map<string | null, SurveySuppressionReason>;
}

/** Team refs in text order, respondents without a team last. */
export function compareTeams(a: string | null, b: string | null): number {
  if (a === null || b === null) {
    return Number(a === null) - Number(b === null);
  }
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The anonymity rule, applied to one campaign's responses per team. Teams below
 * the minimum are hidden; then, if the hidden responses are fewer than the
 * minimum, the overall result minus the shown teams would reveal them, so the
 * smallest shown teams are hidden too until the hidden total reaches the minimum.
 * Ties go by team ref so that every query hides the same teams: alternating
 * choices would leak as well.
 */
export function discloseCampaign(
  responsesByTeam: ReadonlyMap<string | null, number>,
  minimumGroupSize: number,
): CampaignDisclosure {
  const hidden = new Map<string | null, SurveySuppressionReason>();
  let hiddenTotal = 0;
  let total = 0;
  for (const [team, responses] of responsesByTeam) {
    total += responses;
    if (responses < minimumGroupSize) {
      hidden.set(team, 'below-minimum-group-size');
      hiddenTotal += responses;
    }
  }
  const shown = [...responsesByTeam]
    .filter(([team]) => !hidden.has(team))
    .sort(([a, x], [b, y]) => x - y || compareTeams(a, b));
  for (const [team, responses] of shown) {
    if (hiddenTotal === 0 || hiddenTotal >= minimumGroupSize) {
      break;
    }
    hidden.set(team, 'protects-another-group');
    hiddenTotal += responses;
  }
  return {
    total,
    overall: total < minimumGroupSize ? 'below-minimum-group-size' : undefined,
    hidden,
  };
}
