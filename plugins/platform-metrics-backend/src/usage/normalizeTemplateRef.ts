import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * `template:default/node-service` for `node-service`, `default/Node-Service` or
 * the full ref, since the catalog compares refs without case; undefined when
 * the text is no entity ref.
 */
export function normalizeTemplateRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), {
        defaultKind: 'template',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
