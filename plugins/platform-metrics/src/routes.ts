import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/frontend-plugin-api';

export const rootRouteRef = createRouteRef();

/** A catalog entity's TechDocs, for the runbooks that fix a failing check. */
export const techdocsDocRootRouteRef = createExternalRouteRef({
  params: ['namespace', 'kind', 'name'],
  defaultTarget: 'techdocs.docRoot',
});

export const usageRouteRef = createRouteRef();

export const goldenPathVersionsRouteRef = createRouteRef();
