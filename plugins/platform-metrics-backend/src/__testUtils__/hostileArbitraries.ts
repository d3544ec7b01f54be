import fc from 'fast-check';

/**
 * Values a hostile or broken client sends, for the property-based tests of the HTTP
 * API and of the parsers behind it.
 */

/** Strings aimed at SQL, HTML, template engines, paths and JavaScript objects. */
export const INJECTION_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE deployments; --",
  '" OR ""="',
  '1); DELETE FROM ingest_deliveries; --',
  "' UNION SELECT participant_hash FROM survey_participation --",
  "1' AND pg_sleep(5) IS NULL --",
  '%',
  '_',
  '\\',
  "\\'",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '<%= 7*7 %>',
  '../../../../etc/passwd',
  "component:default/payments' OR 1=1 --",
  'group:default/payments-team"; --',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\uffff',
  '\u202eevil',
  'Zahlungsdienst – Über 💳',
  '\r\nX-Injected: 1',
];

/** One UTF-16 code unit that is half of a surrogate pair, alone. */
const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map(code => String.fromCharCode(code));

/** Any code point, lone surrogates and NUL included. */
const unicodeString = (maxLength = 40) =>
  fc.string({
    unit: fc.oneof(
      {
        weight: 6,
        arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      },
      { weight: 1, arbitrary: loneSurrogate },
      { weight: 1, arbitrary: fc.constant('\u0000') },
    ),
    maxLength,
  });

/** Injection strings, unicode noise, and the two mixed. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...INJECTION_STRINGS),
    unicodeString(),
    fc
      .tuple(fc.constantFrom(...INJECTION_STRINGS), unicodeString(8))
      .map(([a, b]) => `${a}${b}`),
    fc.string({ minLength: 256, maxLength: 2000 }),
  );

/**
 * Text that `JSON.parse` refuses. Not the empty text: an empty body is read as `{}`,
 * which the properties over well-formed JSON cover.
 */
export const malformedJson = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      // Valid JSON cut short.
      fc
        .jsonValue()
        .map(v => JSON.stringify(v))
        .filter(s => s.length > 1)
        .chain(s =>
          fc.integer({ min: 1, max: s.length - 1 }).map(n => s.slice(0, n)),
        ),
      fc.constantFrom(
        '{',
        '[',
        '{"a":}',
        "{'a': 1}",
        '{"a": 1,}',
        '[1, 2,,]',
        '{"a": NaN}',
        '{"a": undefined}',
        '{a: 1}',
        '{"a": 0x10}',
        '{"a": "\u0000"}',
        '<?xml version="1.0"?><a/>',
        '--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1',
        '\ufeff{"a": 1}x',
      ),
      hostileString(),
    )
    .filter(text => {
      if (text === '') return false;
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    });

/** The JSON type a field must have, to generate values it must not. */
export type FieldType =
  | 'string'
  | 'timestamp'
  | 'id'
  | 'object'
  | 'array'
  | 'rating'
  | { literal: string };

function jsonType(value: unknown) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

const anyJson = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  hostileString(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 3,
  }),
);

/** Not an ISO 8601 date, the form every timestamp field of the API asks for. */
const notADate = (value: string) => !/^\d{4}-\d{2}-\d{2}/.test(value);

/** A JSON value that is wrong for a field of `type`. */
export function wrongValueFor(type: FieldType): fc.Arbitrary<unknown> {
  if (typeof type === 'object') {
    return anyJson.filter(v => v !== type.literal);
  }
  switch (type) {
    case 'string':
      return fc.oneof(
        anyJson.filter(v => typeof v !== 'string'),
        fc.constantFrom('', '   ', '\t\n'),
      );
    case 'timestamp':
      return anyJson.filter(v => typeof v !== 'string' || notADate(v));
    case 'id':
      return fc.oneof(
        anyJson.filter(v => !['string', 'number'].includes(jsonType(v))),
        fc.constantFrom('', '  '),
      );
    case 'object':
      return anyJson.filter(v => jsonType(v) !== 'object');
    case 'array':
      return anyJson.filter(v => jsonType(v) !== 'array');
    case 'rating':
      return anyJson.filter(
        v => typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5,
      );
    default:
      throw new Error(`unknown field type ${String(type)}`);
  }
}
