import type { CheckOutcome, CheckTarget } from './ServiceCheck';
import type {
  ProductionDeploymentFacts,
  ServiceVerifications,
} from './ServiceVerifications';

/** What the `image` and `pipeline` checks read. */
export type LatestProductionDeployments = Pick<
  ServiceVerifications,
  'latestProductionDeployment'
>;

/** `2026-03-02 10:00 UTC`: a deployment's time as people read it in a detail. */
export function formatDeployedAt(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Judges the service's latest successful production deployment with `judge`.
 * Never throws: without a deployment the promise is not kept yet (`fail`, saying
 * how to report one); when the store cannot be read there is no verdict
 * (`unknown`, with the reason).
 */
export async function latestDeploymentOutcome(
  deployments: LatestProductionDeployments,
  target: CheckTarget,
  judge: (deployment: ProductionDeploymentFacts) => CheckOutcome,
): Promise<CheckOutcome> {
  let deployment: ProductionDeploymentFacts | undefined;
  try {
    deployment = await deployments.latestProductionDeployment(target.entityRef);
  } catch (error) {
    return {
      status: 'unknown',
      detail: `Could not read the production deployments of ${
        target.entityRef
      }: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!deployment) {
    return {
      status: 'fail',
      detail:
        'No successful production deployment has been reported for this service yet. ' +
        "Deploy it to production through its pipeline: the golden path's ci/report-deployment.sh reports the deployment to the portal.",
    };
  }
  return judge(deployment);
}
