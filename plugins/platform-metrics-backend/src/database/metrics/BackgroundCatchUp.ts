/** Reads start at most one catch-up per second and rollup. */
const INTERVAL_MS = 1000;

/**
 * A rollup's catch-up, started in the background by reads: never two at once, at
 * most one per second. Reads are exact whether or not the rollup is current, so
 * a failed catch-up only costs speed and the next read retries it: there is
 * nothing to report.
 */
export class BackgroundCatchUp {
  private inFlight?: Promise<void>;
  private startedAt = 0;

  constructor(private readonly catchUp: () => Promise<void>) {}

  /** Starts a catch-up unless one is running or started within the last second. */
  schedule(): void {
    const now = Date.now();
    if (this.inFlight || now - this.startedAt < INTERVAL_MS) {
      return;
    }
    this.startedAt = now;
    this.inFlight = this.catchUp()
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
      });
  }
}
