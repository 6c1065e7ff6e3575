#!/usr/bin/env bash
# Local edits per second, and applying 100k remote changes vs raw inserts of the same rows,
# side by side in one run (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
# FIELDBOOK_BIN: a folder holding a release build of fieldbook-bench (else built here).
if [ -n "${FIELDBOOK_BIN:-}" ]; then
  bin=$FIELDBOOK_BIN
else
  swift build -c release --product fieldbook-bench 2>&1 | tail -1
  bin="$(swift build -c release --show-bin-path)"
fi
"$bin/fieldbook-bench" store
