/**
 * Scaffolder actions of the portal's golden-path templates.
 *
 * @packageDocumentation
 */
export { goldenPathFeatures as default } from './module';
