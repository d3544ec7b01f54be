/**
 * A label value as a double-quoted PromQL string literal (LogQL uses the same
 * syntax). Catalog data ends up in queries, so `"` and `\` must not end the
 * string or start an escape of their own; line breaks are escaped because a
 * raw one is not allowed in a "..." literal.
 */
export function quoteLabelValue(value: string): string {
  const escaped = value.replace(/[\\"\n\r]/g, char => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    return `\\${char}`;
  });
  return `"${escaped}"`;
}
