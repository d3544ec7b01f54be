import type { Entity } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';

/** Mirrors `maxLength` on the templates' `name` parameter. */
const SERVICE_NAME_MAX_LENGTH = 40;

/**
 * Explains the first way in which `name` is not a DNS-1123 label of at most
 * {@link SERVICE_NAME_MAX_LENGTH} characters, or returns undefined when it is
 * one. The schema's `pattern` only says "must match pattern", which does not
 * tell the user what to change.
 */
export function serviceNameFormatError(name: string): string | undefined {
  if (name.length > SERVICE_NAME_MAX_LENGTH) {
    return `Must be at most ${SERVICE_NAME_MAX_LENGTH} characters (this one has ${name.length}).`;
  }
  if (/[^a-z0-9-]/.test(name)) {
    return 'Use only lowercase letters, digits and "-".';
  }
  if (!/^[a-z]/.test(name)) {
    return 'Must start with a lowercase letter.';
  }
  if (!/[a-z0-9]$/.test(name)) {
    return 'Must end with a lowercase letter or a digit.';
  }
  return undefined;
}

/**
 * The entity that already uses `name`, if any. This is the same reference the
 * `golden-path:validate-input` action refuses, so that the form and the task
 * agree on what "taken" means.
 */
export async function findEntityUsingServiceName(
  catalogApi: CatalogApi,
  name: string,
): Promise<Entity | undefined> {
  return catalogApi.getEntityByRef({
    kind: 'Component',
    namespace: 'default',
    name,
  });
}

export function serviceNameTakenMessage(name: string): string {
  return `"${name}" is already taken by a component in the catalog.`;
}

export function catalogCheckFailedMessage(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not check the catalog for this name: ${reason}. Try again.`;
}
