#!/usr/bin/env bash
# What pinned libraries cost every command: `fieldbook status` (and `show`, `report gap`) in a
# workspace pinning libraries the size of CISO Assistant's SCF and NIST CSF 2.0 with their
# mapping sets (Scripts/make-bench-libraries.py), side by side with the same commands in a
# workspace without libraries, in one hyperfine run. Release build (hyperfine:
# apt-get install hyperfine); FIELDBOOK_BIN=FOLDER uses binaries built already.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing; apt-get install hyperfine" >&2; exit 1; }
if [ -z "${FIELDBOOK_BIN:-}" ]; then
  swift build -c release --product fieldbook 2>&1 | tail -1
  FIELDBOOK_BIN="$(swift build -c release --show-bin-path)"
fi
bin="$FIELDBOOK_BIN/fieldbook"
scratch=$(mktemp -d /tmp/fieldbook-bench-libraries.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
python3 Scripts/make-bench-libraries.py "$scratch/libraries" >/dev/null
for name in plain libraries; do
  "$bin" --workspace "$scratch/$name" init --engagement "Bench" --assessor "Ana" >/dev/null
  "$bin" --workspace "$scratch/$name" assess A.5.2 --result compliant >/dev/null
done
"$bin" --workspace "$scratch/libraries" catalog import "$scratch"/libraries/*.yaml >/dev/null
# The first command after an import reads the cache the import primed; warm-up runs cover it.
hyperfine --warmup 3 --runs "${RUNS:-20}" -N --export-json "$scratch/hyperfine.json" \
  "$bin --workspace $scratch/plain status" \
  "$bin --workspace $scratch/libraries status" \
  "$bin --workspace $scratch/plain show A.5.2" \
  "$bin --workspace $scratch/libraries show A.5.2"
python3 - "$scratch/hyperfine.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for plain, libraries in zip(results[0::2], results[1::2]):
    command = plain["command"].split()[-2:] if plain["command"].endswith("A.5.2") else plain["command"].split()[-1:]
    print(f"{' '.join(command):12} without libraries {plain['mean'] * 1000:6.1f} ms, with them {libraries['mean'] * 1000:6.1f} ms:"
          f" {libraries['mean'] / plain['mean']:.2f}x")
PY
