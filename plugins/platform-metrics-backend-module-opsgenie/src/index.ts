/**
 * Opsgenie alerts as incidents for the platform-metrics plugin.
 *
 * @packageDocumentation
 */
export { platformMetricsModuleOpsgenie as default } from './module';
