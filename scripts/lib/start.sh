#!/usr/bin/env bash
# Runs frontend (:3000) and backend (:7007) in development mode until Ctrl-C.
# Called by scripts/portal with the toolchain already on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

mkdir -p .data/sqlite
echo "==> Portal starting: http://localhost:3000 (backend http://localhost:7007). Ctrl-C stops it."
# exec keeps every process in the caller's process group, so Ctrl-C (or a signal to
# the group) reaches the CLI, the frontend dev server and the backend together.
exec yarn start --config "$ROOT/app-config.yaml" --config "$ROOT/app-config.development.yaml" "$@"
