import fc from 'fast-check';
import { findJsonProblem, MAX_JSON_DEPTH } from './parseHelpers';

describe('findJsonProblem', () => {
  it('finds nothing wrong with JSON without NUL that nests as real payloads do', () => {
    fc.assert(
      fc.property(
        fc
          .jsonValue({ maxDepth: 10 })
          .filter(v => !JSON.stringify(v).includes('\\u0000')),
        value => {
          expect(findJsonProblem(value)).toBeUndefined();
        },
      ),
    );
  });

  it('names the string or key that holds a NUL character', () => {
    expect(findJsonProblem({ alerts: [{ labels: { a: 'x\u0000' } }] })).toBe(
      'alerts[0].labels.a: must not contain NUL (\\u0000) characters',
    );
    expect(findJsonProblem({ answers: { 'a\u0000b': 4 } })).toBe(
      'answers["a\\u0000b"]: must not contain NUL (\\u0000) characters',
    );
    expect(findJsonProblem('a,b\n\u0000,c')).toBe(
      'body: must not contain NUL (\\u0000) characters',
    );
    expect(findJsonProblem({ team: ['a', '\u0000'] })).toBe(
      'team[1]: must not contain NUL (\\u0000) characters',
    );
  });

  it('refuses nesting past the limit, however deep, without overflowing the stack', () => {
    const nested = (depth: number) => {
      let value: unknown = null;
      for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
      return value;
    };
    expect(findJsonProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findJsonProblem(nested(MAX_JSON_DEPTH + 1))).toBe(
      `body: nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
    expect(findJsonProblem(nested(1_000_000))).toBe(
      `body: nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  });
});
