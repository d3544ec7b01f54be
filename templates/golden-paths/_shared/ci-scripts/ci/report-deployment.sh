#!/usr/bin/env bash
# Reports a production deployment to the portal's metrics API as a CDEvent,
# so lead time and the golden-path share of deployments are measured.
# Needs: PORTAL_INGEST_TOKEN, SHA, RUN_ID, SOURCE_REPO_URL, IMAGE and
# IMAGE_DIGEST (sha256:<64 hex>, from the build step), so the portal's image
# check can tell exactly which image runs in production.
set -euo pipefail

if [[ ! "${IMAGE_DIGEST:-}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "IMAGE_DIGEST must be the pushed image's digest (sha256:<64 hex>), got '${IMAGE_DIGEST:-}'" >&2
  exit 1
fi

event="$(jq -n \
  --arg id "${RUN_ID}" \
  --arg source "${SOURCE_REPO_URL}" \
  --arg sha "${SHA}" \
  --arg artifact "pkg:oci/${{ values.name }}@${IMAGE_DIGEST}?repository_url=${IMAGE}" \
  --arg timestamp "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  '{
    context: {
      version: "0.4.1",
      id: $id,
      source: $source,
      type: "dev.cdevents.service.deployed.0.2.0",
      timestamp: $timestamp
    },
    subject: {
      id: "component:default/${{ values.name }}",
      source: $source,
      type: "service",
      content: {
        environment: { id: "production" },
        artifactId: $artifact
      }
    },
    customData: {
      commit: $sha,
      goldenPath: { template: "${{ values.template }}", version: "${{ values.templateVersion }}" },
      observability: true
    }
  }')"

curl --fail-with-body --silent --show-error --retry 3 \
  -H "Authorization: Bearer ${PORTAL_INGEST_TOKEN}" \
  -H 'Content-Type: application/json' \
  --data "${event}" \
  "${{ values.portalUrl }}/api/platform-metrics/v1/events"
