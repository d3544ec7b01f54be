/**
 * The platform-metrics demo history, for development backends.
 *
 * @packageDocumentation
 */
export { platformMetricsModuleDemoData as default } from './module';
