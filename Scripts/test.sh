#!/usr/bin/env bash
# Runs every test: unit tests of each module, the CLI driven as a real binary, the server
# suite on both backends, and the workbench in a real browser. Unless FIELDBOOK_TEST_POSTGRES_URL
# names a PostgreSQL to use, a throwaway cluster is started on loopback for the run and removed
# at the end.
# FIELDBOOK_PROPERTY_CASES raises the number of random merge cases (default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
swift build --build-tests
if [ -z "${FIELDBOOK_TEST_POSTGRES_URL:-}" ]; then
  cluster=$(mktemp -d /tmp/fieldbook-pg.XXXXXX)
  trap 'Scripts/postgres-cluster.sh stop "$cluster"' EXIT
  Scripts/postgres-cluster.sh start "$cluster" >/dev/null
  # shellcheck source=/dev/null
  source "$cluster/env"
  echo "test: PostgreSQL for the server suite at $FIELDBOOK_TEST_POSTGRES_URL"
fi
# Three runs, quickest first, so results come from the first seconds on: the modules' own
# tests, then the CLI driven as a real binary, then the server suite. In one run every test
# starts at once, and the many that wait on the processes they drive (Process.waitUntilExit)
# hold the cooperative pool's threads (one per core): the log showed nothing for 400 s, then
# one-line tests "passed after 401 seconds". Within a run, a test's time still counts from the
# run's start while it waits for a thread; the run's own line gives the real time.
# Swift Testing only: the suite has no XCTest cases, whose runner would print an empty summary first.
logs=$(mktemp -d /tmp/fieldbook-test-logs.XXXXXX)
failed=0
run_stage() {
  local name="$1"; shift
  echo "test: $name"
  swift test --skip-build --disable-xctest "$@" 2>&1 | tee "$logs/$name.log" || failed=1
}
run_stage modules --skip 'FieldbookCLITests|FieldbookServerTests'
run_stage cli --filter FieldbookCLITests
run_stage server --filter FieldbookServerTests
# Mixed releases: the previous release's real binaries (built once from its commit) beside
# this build's, both directions, both backends, bundles both ways.
echo "test: compatibility"
if previous=$(Scripts/previous-release.sh) \
  && python3 Tests/Compatibility/mixed_releases.py "$(swift build --show-bin-path)" "$previous" 2>&1 | tee "$logs/compatibility.out"; then :; else failed=1; fi
# The workbench in a real browser, through an assessor's day (Playwright on Debian's chromium).
echo "test: browser"
if python3 Tests/Browser/workbench_day.py "$(swift build --show-bin-path)" 2>&1 | tee "$logs/browser.out"; then :; else failed=1; fi
# One line for the three runs, in the form any reader of test logs understands: the runs' test
# counts, less the tests that failed (a run that never reached its summary counts as one failure).
passed=0 failures=0
for log in "$logs"/*.log; do
  total=$(grep -Eo 'Test run with [0-9]+ test' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
  # Every failed test's line, named or not, parameterized or not; not the run's own line.
  broken=$(grep -E '^✘ Test .* failed after' "$log" | grep -vc '^✘ Test run with' || true)
  if [ -z "$total" ]; then failures=$((failures + 1)); continue; fi
  passed=$((passed + total - broken)); failures=$((failures + broken))
done
for stage in browser compatibility; do
  checked=$(grep -Eo "$stage: [0-9]+ checks passed" "$logs/$stage.out" 2>/dev/null | grep -Eo '[0-9]+' || true)
  if [ -n "$checked" ]; then passed=$((passed + checked)); else failures=$((failures + 1)); fi
done
rm -rf "$logs"
echo "test: $passed passed, $failures failed"
exit "$failed"
