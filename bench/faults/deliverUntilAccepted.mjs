const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Delivers one request the way webhook senders do (GitHub redelivery,
 * PagerDuty, a pipeline's retry step): repeat on 5xx, timeouts and refused
 * connections with a growing pause, stop at the first 2xx or at a 4xx (which
 * no retry can fix). Every attempt is reported to `onAttempt`.
 *
 * @returns {Promise<{ status: number | undefined, attempts: number, answer: any }>}
 *   status is the final HTTP status, undefined if the deadline passed first.
 */
export async function deliverUntilAccepted({
  url,
  token,
  body,
  deadline,
  attemptTimeoutMs = 30_000,
  onAttempt = () => {},
}) {
  let pause = 200;
  let attempts = 0;
  while (Date.now() < deadline) {
    attempts += 1;
    const startedAt = Date.now();
    let status;
    let error;
    let answer;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      status = res.status;
      const text = await res.text();
      try {
        answer = JSON.parse(text);
      } catch {
        answer = text;
      }
    } catch (e) {
      error = e.cause?.code ?? e.name ?? String(e);
    }
    onAttempt({ startedAt, endedAt: Date.now(), status, error, answer });
    if (status !== undefined && status < 500) {
      return { status, attempts, answer };
    }
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, 2000);
  }
  return { status: undefined, attempts, answer: undefined };
}
