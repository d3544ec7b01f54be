// Loki is not packaged for Debian, so the sandbox stands in for it with this
// endpoint, which speaks the part of Loki's HTTP API that shipping and
// checking logs use: POST /loki/api/v1/push (JSON) and GET
// /loki/api/v1/query_range with a stream selector and optional line filters.
// It holds the service's real stdout lines, pushed by the sandbox's log
// shipper (createLogShipper.mjs) as Fluent Bit would push them. Queries outside that
// subset get a 400 naming what is unsupported, never an empty success.
import http from 'node:http';

const MATCHER =
  /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;
const LINE_FILTER = /^\s*(\|=|!=|\|~|!~)\s*"((?:[^"\\]|\\.)*)"/;

class UnsupportedQuery extends Error {}

/** Parses `{a="x", b=~"y.*"} |= "text"` into label and line predicates. */
function parseLogQuery(query) {
  const open = query.indexOf('{');
  const close = query.indexOf('}');
  if (open !== 0 && query.slice(0, open).trim() !== '') {
    throw new UnsupportedQuery(
      `query: only stream selectors with line filters are supported, got ${JSON.stringify(
        query,
      )}`,
    );
  }
  if (open < 0 || close < open) {
    throw new UnsupportedQuery(
      'query: expected a stream selector {label="value"}',
    );
  }
  const labels = query
    .slice(open + 1, close)
    .split(',')
    .filter(part => part.trim() !== '')
    .map(part => {
      const match = MATCHER.exec(part);
      if (!match)
        throw new UnsupportedQuery(`query: cannot read matcher ${part.trim()}`);
      const [, name, op, raw] = match;
      const value = JSON.parse(`"${raw}"`);
      // LogQL regular expressions match the whole value.
      const regex = op.includes('~') ? new RegExp(`^(?:${value})$`) : undefined;
      return labelSet => {
        const actual = labelSet[name] ?? '';
        if (op === '=') return actual === value;
        if (op === '!=') return actual !== value;
        if (op === '=~') return regex.test(actual);
        return !regex.test(actual);
      };
    });
  if (labels.length === 0) {
    throw new UnsupportedQuery(
      'query: the stream selector needs at least one matcher',
    );
  }
  const lines = [];
  let rest = query.slice(close + 1);
  while (rest.trim() !== '') {
    const match = LINE_FILTER.exec(rest);
    if (!match) {
      throw new UnsupportedQuery(
        `query: only line filters (|= != |~ !~) may follow the selector, got ${JSON.stringify(
          rest.trim(),
        )}`,
      );
    }
    const [whole, op, raw] = match;
    const value = JSON.parse(`"${raw}"`);
    const regex = op.includes('~') ? new RegExp(value) : undefined;
    lines.push(line =>
      op === '|='
        ? line.includes(value)
        : op === '!='
        ? !line.includes(value)
        : op === '|~'
        ? regex.test(line)
        : !regex.test(line),
    );
    rest = rest.slice(whole.length);
  }
  return {
    matchesStream: labelSet => labels.every(test => test(labelSet)),
    matchesLine: line => lines.every(test => test(line)),
  };
}

/** Loki takes nanoseconds since the epoch, seconds with a fraction, or RFC 3339. */
function toNanoseconds(value, fallback) {
  if (value === undefined || value === '') return fallback;
  if (/^\d+$/.test(value)) {
    // As Loki does: up to 10 digits are seconds, longer integers nanoseconds.
    return value.length <= 10 ? BigInt(value) * 1_000_000_000n : BigInt(value);
  }
  if (/^\d+\.\d+$/.test(value)) {
    return BigInt(Math.round(Number(value) * 1e6)) * 1000n;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new UnsupportedQuery(`time: cannot read ${value}`);
  return BigInt(ms) * 1_000_000n;
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * @returns {Promise<{ url: string, lineCount(): number, close(): Promise<void> }>}
 */
export async function startLokiStandIn({ port }) {
  /** @type {Map<string, { stream: Record<string,string>, values: [bigint, string][] }>} */
  const streams = new Map();

  const push = body => {
    for (const { stream, values } of body.streams ?? []) {
      const key = JSON.stringify(Object.entries(stream).sort());
      const entry = streams.get(key) ?? { stream, values: [] };
      for (const [ts, line] of values) entry.values.push([BigInt(ts), line]);
      streams.set(key, entry);
    }
  };

  const queryRange = params => {
    const query = params.get('query');
    if (!query) throw new UnsupportedQuery('query: missing');
    const { matchesStream, matchesLine } = parseLogQuery(query);
    const now = BigInt(Date.now()) * 1_000_000n;
    const end = toNanoseconds(params.get('end') ?? undefined, now);
    const start = toNanoseconds(
      params.get('start') ?? undefined,
      end - 3_600_000_000_000n,
    );
    const limit = Number(params.get('limit') ?? 100);
    const forward = params.get('direction') === 'forward';
    const result = [];
    let budget = limit;
    for (const { stream, values } of streams.values()) {
      if (!matchesStream(stream) || budget <= 0) continue;
      const hits = values
        .filter(([ts, line]) => ts >= start && ts < end && matchesLine(line))
        .sort((a, b) => (a[0] < b[0] ? -1 : 1) * (forward ? 1 : -1))
        .slice(0, budget);
      budget -= hits.length;
      if (hits.length > 0) {
        result.push({
          stream,
          values: hits.map(([ts, line]) => [ts.toString(), line]),
        });
      }
    }
    return {
      status: 'success',
      data: { resultType: 'streams', result, stats: {} },
    };
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loki');
    const chunks = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      try {
        if (req.method === 'GET' && url.pathname === '/ready') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ready\n');
        } else if (
          req.method === 'POST' &&
          url.pathname === '/loki/api/v1/push'
        ) {
          push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          res.writeHead(204);
          res.end();
        } else if (
          req.method === 'GET' &&
          url.pathname === '/loki/api/v1/query_range'
        ) {
          json(res, 200, queryRange(url.searchParams));
        } else {
          json(res, 404, {
            status: 'error',
            error: `${req.method} ${url.pathname} is not part of the sandbox's Loki stand-in`,
          });
        }
      } catch (error) {
        json(
          res,
          error instanceof UnsupportedQuery || error instanceof SyntaxError
            ? 400
            : 500,
          {
            status: 'error',
            error: error.message,
          },
        );
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    lineCount: () =>
      [...streams.values()].reduce((sum, s) => sum + s.values.length, 0),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
