/**
 * Undo actions registered as resources are created, run last-first exactly
 * once: at the end of a run, or when SIGINT/SIGTERM interrupts it. A failing
 * undo is reported and the others still run.
 */
export class Cleanup {
  #actions = [];
  #running;

  /** @param {string} what @param {() => unknown} undo */
  add(what, undo) {
    this.#actions.push({ what, undo });
  }

  run() {
    this.#running ??= (async () => {
      const problems = [];
      for (const { what, undo } of this.#actions.reverse()) {
        try {
          await undo();
        } catch (error) {
          problems.push(`${what}: ${error.message}`);
        }
      }
      this.#actions = [];
      return problems;
    })();
    return this.#running;
  }

  /** Cleans up, then exits, when the run is interrupted. */
  onSignals(log) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.once(signal, async () => {
        log(`${signal}: cleaning up`);
        for (const problem of await this.run()) log(`cleanup: ${problem}`);
        process.exit(
          128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15),
        );
      });
    }
  }
}
