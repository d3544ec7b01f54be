/**
 * Extension points and record types of the platform-metrics backend, for the
 * plugin's modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './ingestRecords';
