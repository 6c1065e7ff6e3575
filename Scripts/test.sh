#!/usr/bin/env bash
# Runs every test: unit tests of each module and the CLI driven as a real binary.
# FIELDBOOK_PROPERTY_CASES raises the number of random merge cases (default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
