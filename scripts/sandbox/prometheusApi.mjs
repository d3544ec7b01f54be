// Reads from the Prometheus HTTP API (/api/v1).

/** Runs an instant PromQL query; the result vector. */
export async function promQuery(url, query) {
  const res = await fetch(
    `${url}/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  const body = await res.json();
  if (body.status !== 'success') {
    throw new Error(`query ${query}: ${body.error ?? res.status}`);
  }
  return body.data.result;
}

/** Alerts Prometheus holds, by name, with their state (pending, firing). */
export async function promAlerts(url) {
  const body = await (await fetch(`${url}/api/v1/alerts`)).json();
  return body.data.alerts;
}
