#!/usr/bin/env bash
# The workbench's pages: server time and bytes of each, on the sample engagement and on a large
# one (10,000 risks, every requirement assessed), release build. Server time is curl's time to
# the first byte on loopback, the median of 5 requests after one warm-up.
# Targets (issue 28): every page under 100 ms and 300 KB on the sample, under 500 ms on 10,000 risks.
set -euo pipefail
cd "$(dirname "$0")/.."
for product in fieldbook fieldbook-workbench fieldbook-bench; do swift build -c release --product "$product" 2>&1 | tail -1; done
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d /tmp/fieldbook-bench-ui.XXXXXX)
trap 'pkill -f "fieldbook-workbench --workspace $work" 2>/dev/null || true; rm -rf "$work"' EXIT
FIELDBOOK="$bin/fieldbook" Fixtures/sample-engagement/build.sh "$work/sample" >/dev/null
"$bin/fieldbook-bench" large-workspace "$work/large"
risk=$("$bin/fieldbook" --workspace "$work/large" risk list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["risks"][0]["id"])')
pages=(/ /frameworks/nist-ai-rmf /frameworks/iso42001 /requirements/iso42001:A.6.2.4 /risks "/risks?page=50" /findings /requests
       /applicability /systems /conflicts /sync /reports /assets/workbench.css /assets/workbench.js)
for name in sample large; do
  "$bin/fieldbook" --workspace "$work/$name" ui --no-open --port 0 > "$work/$name.out" 2>&1 &
  for _ in $(seq 1 100); do grep -q "^Open " "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^Open //p' "$work/$name.out")
  origin=${url%%/\?*}
  curl -s -c "$work/$name.jar" -o /dev/null "$url"
  echo "bench-ui: $name engagement"
  printf '  %-34s %10s %10s\n' page "ms (p50)" bytes
  extra=()
  [ "$name" = large ] && extra=("/risks/$risk")
  for page in "${pages[@]}" "${extra[@]}"; do
    curl -s -b "$work/$name.jar" -o /dev/null "$origin$page"
    times=()
    for _ in 1 2 3 4 5; do
      times+=("$(curl -s -b "$work/$name.jar" -o "$work/page" -w '%{time_starttransfer}' "$origin$page")")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    printf '  %-34s %10.1f %10d\n' "$page" "$(echo "$median * 1000" | bc -l)" "$(stat -c %s "$work/page")"
  done
  pkill -f "fieldbook-workbench --workspace $work/$name" || true
done
