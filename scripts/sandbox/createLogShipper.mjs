/**
 * Plays Fluent Bit for one process: collects its stdout lines and pushes them
 * to a Loki push endpoint in batches (every `intervalMs`), with `labels`.
 * The generated service writes one JSON object per line (parser `json`);
 * lines are shipped as written.
 */
export function createLogShipper({ lokiUrl, labels, intervalMs = 250 }) {
  let pending = [];
  let shipped = 0;
  let lastError;
  const flush = async () => {
    if (pending.length === 0) return;
    const values = pending;
    pending = [];
    try {
      const res = await fetch(`${lokiUrl}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ streams: [{ stream: labels, values }] }),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${await res.text()}`);
      shipped += values.length;
    } catch (error) {
      lastError = error;
      // Kept for the next push, as Fluent Bit retries.
      pending = [...values, ...pending];
    }
  };
  const timer = setInterval(flush, intervalMs);
  return {
    ship(line) {
      pending.push([(BigInt(Date.now()) * 1_000_000n).toString(), line]);
    },
    flush,
    get shipped() {
      return shipped;
    },
    get lastError() {
      return lastError;
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
