#!/usr/bin/env bash
# Load: ASSESSORS (default 200) simulated assessors, ASSESSORS_PER_ENGAGEMENT (5) to an
# engagement, each syncing a few small signed edits every LOAD_PAUSE_MS (2000-6000 ms) for
# LOAD_SECONDS (300), against two fieldbook-server processes on one PostgreSQL with
# --objects database (two machines' setup, on this one). The driver is `fieldbook-bench load`:
# real signed changes, sent as `fieldbook sync` sends them (vector, push, pull), each request to
# either process. Prints request and sync latency (p50/p99), throughput, errors, and each
# server's resident memory sampled every SAMPLE_SECONDS (5) over the run.
# Release build; a throwaway PostgreSQL cluster started and removed here (fsync off: it
# measures the servers, not a disk). LOAD_SECONDS=30 for a quick check.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${FIELDBOOK_BIN:-}" ]; then
  bin=$FIELDBOOK_BIN
else
  swift build -c release --product fieldbook-server 2>&1 | tail -1
  swift build -c release --product fieldbook-bench 2>&1 | tail -1
  bin="$(swift build -c release --show-bin-path)"
fi
assessors=${ASSESSORS:-200}
per_engagement=${ASSESSORS_PER_ENGAGEMENT:-5}
seconds=${LOAD_SECONDS:-300}
sample=${SAMPLE_SECONDS:-5}
work="$(mktemp -d)"
# Its own folder: under root the cluster belongs to the postgres user, who cannot enter $work.
cluster="$(mktemp -d /tmp/fieldbook-pg.XXXXXX)"
pids=()
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  [ -d "$cluster" ] && Scripts/postgres-cluster.sh stop "$cluster" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

Scripts/postgres-cluster.sh start "$cluster" >/dev/null
# shellcheck source=/dev/null
source "$cluster/env"
db="${FIELDBOOK_TEST_POSTGRES_URL%/*}/fb_load"
psql "$FIELDBOOK_TEST_POSTGRES_URL" -qc "CREATE DATABASE fb_load"

# Engagements and one token per assessor; each assessor's key is bound by its first push.
echo "issuing $assessors tokens..."
for i in $(seq 0 $(( assessors - 1 ))); do
  if (( i % per_engagement == 0 )); then
    engagement="$("$bin/fieldbook-server" engagement create "Load $(( i / per_engagement ))" --database "$db")"
  fi
  token="$("$bin/fieldbook-server" token create --assessor "assessor-$i" --engagement "$engagement" --database "$db" 2>/dev/null)"
  echo "$engagement $token assessor-$i"
done > "$work/assignments"

urls=()
for n in 1 2; do
  LOG_LEVEL=warning "$bin/fieldbook-server" serve --port 0 --database "$db" --objects database \
    > "$work/server$n.out" 2> "$work/server$n.err" &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "listening on" "$work/server$n.out" 2>/dev/null && break; sleep 0.1; done
  urls+=("$(sed -n 's/.*listening on //p' "$work/server$n.out")")
done

# Resident memory (VmRSS, KiB) of each server, every $sample seconds.
(
  while true; do
    line="$(date +%s)"
    for pid in "${pids[@]}"; do line="$line $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"; done
    echo "$line"
    sleep "$sample"
  done
) > "$work/memory" &
sampler=$!

"$bin/fieldbook-bench" load "$seconds" "${urls[@]}" < "$work/assignments"
kill "$sampler"; sampler=""

echo "  server memory (RSS, MiB), sampled every ${sample} s:"
for n in 1 2; do
  awk -v col=$(( n + 1 )) -v name="server $n" '
    { v[NR] = $col / 1024 }
    END {
      first = v[1]; min = v[1]; max = v[1]
      for (i = 1; i <= NR; i++) { if (v[i] < min) min = v[i]; if (v[i] > max) max = v[i] }
      q = int(NR / 4); if (q < 1) q = 1
      h = int(NR / 2); if (h < 1) h = 1
      printf "    %s: at start %.1f, after a quarter %.1f, half %.1f, three quarters %.1f, at end %.1f (min %.1f, max %.1f, %d samples)\n",
        name, first, v[q], v[h], v[3 * q], v[NR], min, max, NR
    }' "$work/memory"
done
for n in 1 2; do
  logged="$(grep -v "plain HTTP" "$work/server$n.err" | sort | uniq -c | sort -rn | head -5 || true)"
  [ -n "$logged" ] && printf '  server %s logged (warnings and errors):\n%s\n' "$n" "$logged"
done
true
