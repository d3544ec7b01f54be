/**
 * Types, permissions and the typed client shared by the platform-metrics frontend
 * and backend.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './responses';
export * from './surveySchemas';
export * from './checks';
export * from './usage';
export * from './goldenPathVersions';
export * from './PlatformMetricsApi';
export * from './PlatformMetricsClient';
