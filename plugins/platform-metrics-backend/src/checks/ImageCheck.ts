import type { CheckOutcome, CheckTarget, ServiceCheck } from './ServiceCheck';
import {
  formatDeployedAt,
  latestDeploymentOutcome,
  type LatestProductionDeployments,
} from './latestDeploymentOutcome';

/**
 * `image`: the service's latest successful production deployment carries the
 * digest of the image it deployed (`sha256:…`), so what runs in production is
 * known exactly. Reads the metrics store only: always configured.
 */
export class ImageCheck implements ServiceCheck {
  readonly id = 'image';
  readonly configured = true;

  private constructor(
    private readonly deployments: LatestProductionDeployments,
  ) {}

  static create(options: { verifications: LatestProductionDeployments }) {
    return new ImageCheck(options.verifications);
  }

  run(target: CheckTarget): Promise<CheckOutcome> {
    return latestDeploymentOutcome(this.deployments, target, deployment => {
      const when = formatDeployedAt(deployment.deployedAt);
      if (deployment.imageDigest) {
        return {
          status: 'pass',
          detail: `The production deployment of ${when} runs image ${deployment.imageDigest}.`,
        };
      }
      return {
        status: 'fail',
        detail:
          `The last production deployment (${when}, reported by ${deployment.source}) reported no image digest, so nobody can tell which image runs. ` +
          'ci/report-deployment.sh sends it from golden path 1.1.0: upgrade the service and set IMAGE_DIGEST in CI to the digest the build step pushed (sha256:…). ' +
          'Other pipelines: pin the image in the CDEvent artifactId (pkg:oci/<name>@sha256:…) or put imageDigest in the GitHub deployment payload.',
      };
    });
  }
}
