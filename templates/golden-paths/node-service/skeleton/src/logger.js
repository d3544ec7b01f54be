// One JSON object per line on stdout: the platform's log collector parses it
// and indexes service, team and trace fields without any agent in the app.
const SERVICE = process.env.SERVICE_NAME ?? '${{ values.name }}';
const TEAM = process.env.SERVICE_TEAM ?? '${{ values.ownerName }}';

export function log(level, message, fields = {}, write = line => process.stdout.write(line)) {
  write(
    `${JSON.stringify({
      time: new Date().toISOString(),
      level,
      service: SERVICE,
      team: TEAM,
      message,
      ...fields,
    })}\n`,
  );
}

// W3C trace context: reuse the caller's trace id so logs join the trace.
export function traceFields(headers) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(
    headers.traceparent ?? '',
  );
  if (match) return { trace_id: match[1], span_id: match[2] };
  return { trace_id: randomHex(16), span_id: randomHex(8) };
}

function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map(b => b.toString(16).padStart(2, '0'))
    .join('');
}
