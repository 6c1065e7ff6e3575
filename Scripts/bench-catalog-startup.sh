#!/usr/bin/env bash
# Cold-start time of catalog commands on a release build, measured with hyperfine
# (apt-get install hyperfine). Compared side by side with `fieldbook --version`, which
# loads no catalog, so the figure reads as a ratio on a noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing; apt-get install hyperfine" >&2; exit 1; }
swift build -c release --product fieldbook 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)/fieldbook"
hyperfine --warmup 3 --runs "${RUNS:-30}" -N \
  "$bin --version" \
  "$bin catalog show GV-1.1 --json" \
  "$bin crosswalk A.6.2.4 --json" \
  "$bin catalog search impact assessment --json" \
  "$bin catalog list --framework iso42001"
