#!/usr/bin/env bash
# Reports a production deployment to the portal's metrics API as a CDEvent,
# so lead time and the golden-path share of deployments are measured.
# Needs: PORTAL_INGEST_TOKEN, SHA, RUN_ID, SOURCE_REPO_URL, IMAGE.
set -euo pipefail

event="$(jq -n \
  --arg id "${RUN_ID}" \
  --arg source "${SOURCE_REPO_URL}" \
  --arg sha "${SHA}" \
  --arg artifact "pkg:oci/${{ values.name }}@${SHA}?repository_url=${IMAGE}" \
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
