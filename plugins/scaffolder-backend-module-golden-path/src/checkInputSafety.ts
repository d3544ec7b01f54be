import { InputError } from '@backstage/errors';

/** The longest value any free-text field may carry. */
const MAX_FIELD_LENGTH = 300;

// `${{`, `{{`, `{%` and `{#` start Nunjucks expressions, statements and
// comments: a value carrying them would be evaluated when the skeleton is
// rendered (template injection, CVE-2024-53983).
const TEMPLATE_SYNTAX = /\$\{\{|\{\{|\{%|\{#|%\}|\}\}/;
// Values end up in YAML, Dockerfiles and shell snippets of the generated
// repository; a line break would let a value add keys or commands there.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const PATH_TRAVERSAL = /(^|[\\/])\.\.([\\/]|$)/;
const ABSOLUTE_PATH = /^(\/|\\|[a-zA-Z]:[\\/]|~)/;

/**
 * Rejects a form value that could escape its place in the generated files:
 * template syntax, control characters, path traversal, absolute paths or
 * oversized text. Throws an InputError naming the field.
 */
export function checkInputSafety(
  field: string,
  value: string,
  options: { maxLength?: number; allowAbsolutePath?: boolean } = {},
): void {
  const maxLength = options.maxLength ?? MAX_FIELD_LENGTH;
  if (value.length > maxLength) {
    throw new InputError(
      `${field} is ${value.length} characters long; at most ${maxLength} are allowed`,
    );
  }
  if (TEMPLATE_SYNTAX.test(value)) {
    throw new InputError(
      `${field} must not contain template expressions such as \${{ }}, {{ }} or {% %}`,
    );
  }
  if (CONTROL_CHARACTERS.test(value)) {
    throw new InputError(
      `${field} must be a single line without control characters`,
    );
  }
  if (PATH_TRAVERSAL.test(value)) {
    throw new InputError(`${field} must not contain "../" path segments`);
  }
  if (!options.allowAbsolutePath && ABSOLUTE_PATH.test(value)) {
    throw new InputError(`${field} must not be an absolute path`);
  }
}
