#!/usr/bin/env bash
# Reports over 10k risks and every requirement assessed (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fieldbook-bench 2>&1 | tail -1
"$(swift build -c release --show-bin-path)/fieldbook-bench" reports
