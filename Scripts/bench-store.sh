#!/usr/bin/env bash
# Local edits per second, and applying 100k remote changes vs raw inserts of the same rows,
# side by side in one run (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fieldbook-bench 2>&1 | tail -1
"$(swift build -c release --show-bin-path)/fieldbook-bench" store
