#!/usr/bin/env bash
# Fieldbook against the peer, in one run on one machine (issue 33): bench-sync's workload
# (WORKSPACES workspaces x EDITS signed edits through a real server until every workspace holds
# everything, on each backend in BACKENDS) and Loro doing the same edits in memory
# (Scripts/bench-peer.py), then each backend's time beside Loro's and their ratio (target <= 1.0).
# Machines differ, so only the ratio of one run means anything.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import loro" 2>/dev/null || python3 -m pip install --quiet loro==1.17.1
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
# Loro first and last, so a machine that slows during the run shows as two different peer times.
python3 Scripts/bench-peer.py | tee -a "$out"
Scripts/bench-sync.sh | tee -a "$out"
python3 Scripts/bench-peer.py | tee -a "$out"
python3 - "$out" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
peer = [float(s) for s in re.findall(r"loro: converged in ([0-9.]+) s", text)]
backends = re.findall(r"== backend: (\w+)\n(?:.*\n)*?\s+converged: (yes|NO) after \d+ rounds in ([0-9.]+) s", text)
bytes_per = re.findall(r"per change moved \(one push or one pull of one change\): ([0-9.]+) bytes", text)
print("\n== Fieldbook against Loro, this run")
print(f"  loro (in memory, unsigned): {' and '.join(f'{s:.2f} s' for s in peer)}")
best = min(peer)
for (backend, converged, seconds), moved in zip(backends, bytes_per):
    print(f"  fieldbook, {backend} server: {float(seconds):.2f} s (converged {converged}, {moved} bytes per change moved); "
          f"ratio to loro's quicker run {float(seconds) / best:.2f}")
EOF
