import { EntityRefLink } from '@backstage/plugin-catalog-react';

/** A catalog link, or a plain note for events no entity could be found for. */
export function EntityLink({ entityRef }: { entityRef: string | null }) {
  if (!entityRef) return <>unattributed</>;
  return <EntityRefLink entityRef={entityRef} />;
}
