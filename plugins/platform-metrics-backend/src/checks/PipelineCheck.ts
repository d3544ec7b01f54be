import type { CheckOutcome, CheckTarget, ServiceCheck } from './ServiceCheck';
import {
  formatDeployedAt,
  latestDeploymentOutcome,
  type LatestProductionDeployments,
} from './latestDeploymentOutcome';

/**
 * `pipeline`: the service's latest successful production deployment was
 * reported by its pipeline, that is, it names the pipeline run that reported it.
 *
 * The deployment is the service's by attribution (entity ref, or the repository
 * or project annotation the event named), and ticket-era imports (`baseline`)
 * are never read. What is left to tell a pipeline from a hand-made report is the
 * run: GitHub and GitLab deployment events always name their deployment; a
 * CDEvent names `customData.pipelineId` or its own id, which the golden path's
 * report-deployment.sh sets to `<repository>/<run id>/<attempt>`; a module's
 * source passes only if it records the run. Reads the metrics store only:
 * always configured.
 */
export class PipelineCheck implements ServiceCheck {
  readonly id = 'pipeline';
  readonly configured = true;

  private constructor(
    private readonly deployments: LatestProductionDeployments,
  ) {}

  static create(options: { verifications: LatestProductionDeployments }) {
    return new PipelineCheck(options.verifications);
  }

  run(target: CheckTarget): Promise<CheckOutcome> {
    return latestDeploymentOutcome(this.deployments, target, deployment => {
      const when = formatDeployedAt(deployment.deployedAt);
      if (deployment.pipelineId) {
        return {
          status: 'pass',
          detail: `The production deployment of ${when} was reported by pipeline run ${deployment.pipelineId} (${deployment.source}).`,
        };
      }
      return {
        status: 'fail',
        detail:
          `The last production deployment (${when}, reported by ${deployment.source}) names no pipeline run, so it did not come from the service's CI. ` +
          "Deploy to production from the service's pipeline: the golden path's workflow runs ci/report-deployment.sh after the deployment; other senders put the run in customData.pipelineId.",
      };
    });
  }
}
