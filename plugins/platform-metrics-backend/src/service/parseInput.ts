import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Validates with zod and turns the first problem into an InputError naming the field. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.');
    const message = issue.message.startsWith(`${field}:`)
      ? issue.message
      : `${field || 'request'}: ${issue.message}`;
    throw new InputError(message);
  }
  return result.data;
}
