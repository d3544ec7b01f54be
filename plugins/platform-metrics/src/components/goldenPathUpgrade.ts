/** The Template that upgrades a golden-path service (templates/golden-path-upgrade). */
export const UPGRADE_TEMPLATE_REF = 'template:default/golden-path-upgrade';

/** The scaffolder form of the upgrade Template with the service filled in. */
export function upgradeFormPath(entityRef: string): string {
  const formData = encodeURIComponent(JSON.stringify({ entity: entityRef }));
  return `/create/templates/default/golden-path-upgrade?formData=${formData}`;
}
