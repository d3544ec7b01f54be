// The record types live in the -node package, since the plugin's modules write
// records too; the plugin's own code imports them from here.
export type {
  DeploymentRecord,
  IncidentEventRecord,
  IncidentEventType,
  IngestRecord,
  IngestSource,
  ServiceReference,
  ServiceRequestRecord,
} from '@internal/plugin-platform-metrics-node';
