#!/usr/bin/env bash
# Export and import of a 10k-change bundle (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fieldbook-bench 2>&1 | tail -1
"$(swift build -c release --show-bin-path)/fieldbook-bench" bundle
