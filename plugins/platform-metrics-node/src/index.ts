/**
 * Extension points, record types and parsing helpers of the platform-metrics
 * backend, for the plugin's modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './ingestRecords';
export * from './ingestionSources';
export * from './parseOrThrow';
export * from './verifySharedToken';
