#!/usr/bin/env bash
# Deploys one environment through GitOps: points the environment's
# kustomization in the GitOps repository at this commit's overlay and image.
# Argo CD / Flux applies it. Needs: GITOPS_DIR, ENVIRONMENT, IMAGE, SHA,
# IMAGE_DIGEST (from the build step), SOURCE_REPO_URL.
set -euo pipefail

# The image is pinned by digest, not by its tag: a tag can be pushed again,
# a digest always names the image the pipeline built and tested.
if [[ ! "${IMAGE_DIGEST:-}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "IMAGE_DIGEST must be the pushed image's digest (sha256:<64 hex>), got '${IMAGE_DIGEST:-}'" >&2
  exit 1
fi

target="${GITOPS_DIR}/apps/${{ values.name }}/${ENVIRONMENT}"
mkdir -p "${target}"
cat > "${target}/kustomization.yaml" <<KUSTOMIZATION
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ${SOURCE_REPO_URL}//kubernetes/overlays/${ENVIRONMENT}?ref=${SHA}
images:
  - name: ${{ values.containerRegistry }}/${{ values.name }}
    newName: ${IMAGE}
    digest: ${IMAGE_DIGEST}
KUSTOMIZATION

cd "${GITOPS_DIR}"
git config user.name "${{ values.name }} pipeline"
git config user.email "ci@noreply.acme.example"
git add "apps/${{ values.name }}/${ENVIRONMENT}"
if git diff --cached --quiet; then
  echo "${ENVIRONMENT} already runs ${SHA}"
  exit 0
fi
git commit -m "deploy ${{ values.name }} ${SHA} to ${ENVIRONMENT}"
git push origin HEAD
