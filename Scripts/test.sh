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
# Swift Testing only: the suite has no XCTest cases, whose runner would print an empty summary first.
swift test --skip-build --disable-xctest
