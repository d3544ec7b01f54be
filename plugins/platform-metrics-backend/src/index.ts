/**
 * The platform-metrics backend plugin.
 *
 * @packageDocumentation
 */
export { platformMetricsPlugin as default } from './plugin';
