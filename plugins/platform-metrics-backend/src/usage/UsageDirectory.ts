/** A catalog Group and how many Users are members of it. */
export interface UsageTeam {
  ref: string;
  members: number;
}

/** What the usage reports need to know of the catalog. */
export interface UsageDirectory {
  /** Entity refs of every Template, normalised as {@link normalizeTemplateRef}. */
  listTemplateRefs(): Promise<string[]>;
  listTeams(): Promise<UsageTeam[]>;
}
