#!/usr/bin/env bash
# Everything that must hold before a change lands: type-check, lint, format, unit and
# database tests, the production-mode check and the browser smoke test.
# Called by scripts/portal with the toolchain already on PATH.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ART="$ROOT/.artifacts"
mkdir -p "$ART"

# Docker never runs here: TestDatabases must not try to start containers.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

passed=0
failed=0
failures=()

# Wall time per phase, printed at the end: a fresh-clone run must stay under 20 minutes.
phase_names=()
phase_secs=()
phase_started=$(date +%s)
if [ -n "${PORTAL_MACHINE_SETUP_SECS:-}" ]; then
  # Set by .ci/run: starting PostgreSQL and installing Debian packages.
  phase_names+=("Machine setup (.ci/run)")
  phase_secs+=("$PORTAL_MACHINE_SETUP_SECS")
fi
if [ -n "${PORTAL_SETUP_STARTED:-}" ]; then
  # Set by scripts/portal before it installed Node and the dependencies.
  phase_names+=("Install (Node, yarn install)")
  phase_secs+=($((phase_started - PORTAL_SETUP_STARTED)))
fi
end_phase() {
  local now
  now=$(date +%s)
  phase_names+=("$1")
  phase_secs+=($((now - phase_started)))
  phase_started=$now
}

# A check counts once; a test runner adds the tests it counted.
check() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

add_counts() {
  local name="$1" p="$2" f="$3" ok="$4"
  passed=$((passed + p))
  failed=$((failed + f))
  # A runner that crashed before counting anything still counts as a failure.
  if [ "$ok" != 0 ] && [ "$f" = 0 ]; then
    failed=$((failed + 1))
  fi
  if [ "$ok" != 0 ] || [ "$f" != 0 ]; then
    failures+=("$name")
  fi
}

json_count() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const [p, f] = process.argv[2].split(",");
    console.log(`${r[p] ?? 0} ${r[f] ?? 0}`);
  ' "$@" 2>/dev/null || echo "0 0"
}

check "Type check (tsc)" yarn tsc
end_phase "Type check"
check "Lint (eslint)" yarn backstage-cli repo lint
end_phase "Lint"
check "Format (prettier)" yarn prettier --check --loglevel warn .
end_phase "Format"

echo
echo "==> Unit and database tests (jest)"
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "    database tests run on SQLite and PostgreSQL 15"
else
  echo "    database tests run on SQLite (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING for PostgreSQL 15)"
fi
rm -f "$ART/jest.json"
yarn backstage-cli repo test --watchAll=false --json --outputFile="$ART/jest.json"
rc=$?
read -r p f < <(json_count "$ART/jest.json" numPassedTests,numFailedTests)
add_counts "Unit and database tests" "$p" "$f" "$rc"
end_phase "Unit and database tests"

echo
echo "==> Production mode (built backend on PostgreSQL)"
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  check "Build backend (yarn build:backend)" yarn build:backend
  end_phase "Build backend"
  node scripts/lib/prodCheck.mjs --report "$ART/prod-check.json"
  rc=$?
  read -r p f < <(json_count "$ART/prod-check.json" passed,failed)
  add_counts "Production mode" "$p" "$f" "$rc"
  end_phase "Production mode"

  echo
  echo "==> Fault scenarios (bench/faults --ci: replicas, PostgreSQL outage, first start)"
  node bench/faults/run.mjs --ci --report "$ART/faults.json"
  rc=$?
  read -r p f < <(json_count "$ART/faults.json" passed,failed)
  add_counts "Fault scenarios" "$p" "$f" "$rc"
  end_phase "Fault scenarios"

  echo
  echo "==> Platform sandbox (scaffolder, Prometheus, Alertmanager, dnsmasq; a Loki-compatible stand-in for Loki)"
  node scripts/sandbox/run.mjs --report "$ART/sandbox.json"
  rc=$?
  read -r p f < <(json_count "$ART/sandbox.json" passed,failed)
  add_counts "Platform sandbox" "$p" "$f" "$rc"
  end_phase "Platform sandbox"
else
  echo "    skipped: needs BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
fi

echo
echo "==> Browser smoke test (Playwright, Debian Chromium)"
if [ -x "${PORTAL_CHROMIUM:-/usr/bin/chromium}" ]; then
  rm -f "$ART/e2e.json"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$ART/e2e.json" yarn playwright test --reporter=list,json
  rc=$?
  read -r p f < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${r.stats.expected ?? 0} ${(r.stats.unexpected ?? 0) + (r.stats.flaky ?? 0)}`);
  ' "$ART/e2e.json" 2>/dev/null || echo "0 0")
  add_counts "Browser smoke test" "$p" "$f" "$rc"
  end_phase "Browser tests"
else
  echo "    skipped: no Chromium at ${PORTAL_CHROMIUM:-/usr/bin/chromium} (apt-get install -y chromium)"
fi

echo
echo "Time per phase:"
total=0
for i in "${!phase_names[@]}"; do
  printf '  %-32s %4d:%02d\n' "${phase_names[$i]}" $((phase_secs[i] / 60)) $((phase_secs[i] % 60))
  total=$((total + phase_secs[i]))
done
printf '  %-32s %4d:%02d\n' "Total" $((total / 60)) $((total % 60))
echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "Failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
