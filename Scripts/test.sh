#!/usr/bin/env bash
# Runs every test: unit tests of each module, the CLI driven as a real binary, and the server
# suite on both backends. Unless FIELDBOOK_TEST_POSTGRES_URL names a PostgreSQL to use, a
# throwaway cluster is started on loopback for the run and removed at the end.
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
# Many tests wait on the processes they drive (Process.waitUntilExit), which holds one of the
# cooperative pool's threads (one per core). Unbounded, every test starts at once and the quick
# ones wait behind those that hold the threads: the log showed nothing for 400 s, then one-line
# tests "passed after 401 seconds". At most as many tests as cores run at a time, so results
# come as they finish and each one's time is its own.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-$(nproc)}"
# Swift Testing only: the suite has no XCTest cases, whose runner would print an empty summary first.
swift test --skip-build --disable-xctest
