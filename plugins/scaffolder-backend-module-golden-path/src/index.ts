/**
 * Scaffolder actions of the portal's golden-path templates.
 *
 * @packageDocumentation
 */
export { goldenPathFeatures as default } from './module';
export {
  GoldenPathReleases,
  type GoldenPathVersionStatus,
} from './goldenPathReleases';
