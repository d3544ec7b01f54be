/** A successful live production deployment of a service, as the checks need it. */
export interface ProductionDeploymentFacts {
  deployedAt: Date;
  /** `sha256:…` when the deployment reported the image it deployed. */
  imageDigest?: string;
  /** The pipeline run that reported it, when the source carries one. */
  pipelineId?: string;
  /** Ingestion source: `github`, `gitlab`, `cdevents`, … */
  source: string;
}

/**
 * What the checks runner reads from and writes to the metrics store. The
 * metrics store implements it; lead time ends at `verifiedAt` for every service
 * the checks cover.
 */
export interface ServiceVerifications {
  firstProductionDeployment(
    entityRef: string,
  ): Promise<ProductionDeploymentFacts | undefined>;
  latestProductionDeployment(
    entityRef: string,
  ): Promise<ProductionDeploymentFacts | undefined>;
  /**
   * Records that live checks cover the service since `coveredSince`, and the
   * first time its required checks all passed at or after its first production
   * deployment (null: not yet). Its requests' lead time then ends at
   * `verifiedAt` instead of at the deployment. `verifiedAt`, once set, stays.
   */
  recordVerification(
    entityRef: string,
    state: { coveredSince: Date; verifiedAt: Date | null },
  ): Promise<void>;
}
