#!/usr/bin/env bash
# Deploys one environment through GitOps: points the environment's
# kustomization in the GitOps repository at this commit's overlay and image.
# Argo CD / Flux applies it. Needs: GITOPS_DIR, ENVIRONMENT, IMAGE, SHA,
# SOURCE_REPO_URL.
set -euo pipefail

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
    newTag: ${SHA}
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
