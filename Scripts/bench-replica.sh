#!/usr/bin/env bash
# In-memory merge throughput and encoded size per change (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fieldbook-bench 2>&1 | tail -1
"$(swift build -c release --show-bin-path)/fieldbook-bench" replica
