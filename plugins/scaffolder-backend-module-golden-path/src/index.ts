/**
 * Scaffolder actions of the portal's golden-path templates.
 *
 * @packageDocumentation
 */
export { goldenPathFeatures as default } from './module';
export {
  GoldenPathReleases,
  compareVersions,
  goldenPathOfEntity,
  type GoldenPathChangelogEntry,
  type GoldenPathRelease,
  type GoldenPathVersionStatus,
} from './goldenPathReleases';
