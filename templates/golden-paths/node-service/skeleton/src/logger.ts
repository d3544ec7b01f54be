import type { IncomingHttpHeaders } from 'node:http';

// One JSON object per line on stdout: the platform's log collector parses it
// and indexes service, team and trace fields without any agent in the app.
const SERVICE = process.env.SERVICE_NAME ?? '${{ values.name }}';
const TEAM = process.env.SERVICE_TEAM ?? '${{ values.ownerName }}';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
/** Where log lines go; tests pass their own to read what was logged. */
export type Write = (line: string) => void;

export interface TraceFields {
  trace_id: string;
  span_id: string;
}

export function log(
  level: Level,
  message: string,
  fields: LogFields = {},
  write: Write = line => process.stdout.write(line),
): void {
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
export function traceFields(headers: IncomingHttpHeaders): TraceFields {
  // Node joins a repeated unknown header into one string, but the type also
  // allows an array: anything that is not one string is not a valid parent.
  const traceparent = typeof headers.traceparent === 'string' ? headers.traceparent : '';
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(traceparent);
  if (match?.[1] && match[2]) return { trace_id: match[1], span_id: match[2] };
  return { trace_id: randomHex(16), span_id: randomHex(8) };
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map(b => b.toString(16).padStart(2, '0'))
    .join('');
}
