export interface Config {
  /** Settings of the golden-path Software Templates. */
  goldenPath?: {
    /** Public DNS zone; hostnames default to `<service>.<baseDomain>`. */
    baseDomain: string;
    /** cert-manager ClusterIssuer that signs the generated Ingress certificates. */
    clusterIssuer: string;
    /** Labels the platform Prometheus selects rules and monitors by. */
    ruleSelectorLabels?: { [name: string]: string };
    /** Registry the generated pipelines push images to, e.g. `ghcr.io/acme`. */
    containerRegistry: string;
    /** GitOps repository (`owner/name`) the generated pipelines deploy through. */
    gitopsRepository: string;
    /** Public portal URL the generated pipelines report deployments to. */
    portalUrl?: string;
    /** The embedded git host used when a service is published locally. */
    localGit?: {
      /** Folder of the bare repositories; relative paths resolve from the backend's working directory. */
      directory: string;
    };
  };
}
