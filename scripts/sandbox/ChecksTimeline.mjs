/**
 * The live checks of one service as the sandbox sees them through "check
 * now": each answer is recorded, and the first time each check passed (its
 * `since` in the answer where it first reads `pass`) is kept, so that the run
 * can show the checks turning green one by one as the parts come up.
 */
export class ChecksTimeline {
  /** @type {Map<string, string>} check id -> ISO time it first passed */
  #firstPass = new Map();

  /**
   * @param {import('@internal/plugin-platform-metrics-common').ServiceChecksResponse} answer
   */
  record(answer) {
    for (const check of answer.checks) {
      if (check.status === 'pass' && !this.#firstPass.has(check.id)) {
        this.#firstPass.set(check.id, check.since);
      }
    }
  }

  /**
   * `dns +1.2 s, health tls +40.3 s, ...`: the checks grouped by the moment
   * they first passed, in seconds after `origin` (ISO).
   */
  format(origin) {
    const byTime = new Map();
    for (const [id, at] of this.#firstPass) {
      byTime.set(at, [...(byTime.get(at) ?? []), id]);
    }
    return [...byTime.keys()]
      .sort()
      .map(
        at =>
          `${byTime.get(at).join(' ')} +${(
            (Date.parse(at) - Date.parse(origin)) /
            1000
          ).toFixed(1)} s`,
      )
      .join(', ');
  }
}
