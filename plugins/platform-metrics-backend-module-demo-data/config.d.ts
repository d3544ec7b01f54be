export interface Config {
  platformMetrics?: {
    /** Seed a deterministic two-year demo history into an empty database. */
    demoData?: boolean;
  };
}
