export {
  buildTechDocs,
  type TechDocsPage,
  type TechDocsSite,
} from './buildTechDocs';
export { mkdocsAvailable } from './mkdocsAvailable';
export {
  perPluginTestDatabase,
  type PerPluginTestDatabase,
} from './perPluginTestDatabase';
export { portalTechDocsConfig } from './portalTechDocsConfig';
