/** `template:default/node-service` and `node-service` both name `node-service`. */
export function templateName(ref: string | null | undefined): string | null {
  if (!ref) {
    return null;
  }
  const withoutKind = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  const name = withoutKind.slice(withoutKind.lastIndexOf('/') + 1).trim();
  return name || null;
}
