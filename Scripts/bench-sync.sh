#!/usr/bin/env bash
# 10 workspaces x 10k edits each (EDITS, WORKSPACES to change), all synced through one local
# fieldbook-server on loopback until converged: wall time, changes per second, bytes on the
# wire per change. Runs the same workload on each backend in one go (BACKENDS="sqlite postgres"
# by default), so the figures sit side by side. Release build. PostgreSQL: the cluster named by
# FIELDBOOK_TEST_POSTGRES_URL, or a throwaway one on loopback started here.
set -euo pipefail
cd "$(dirname "$0")/.."
# FIELDBOOK_BIN: a folder holding release builds of fieldbook-server and fieldbook-bench (else built here).
if [ -n "${FIELDBOOK_BIN:-}" ]; then
  bin=$FIELDBOOK_BIN
else
  swift build -c release --product fieldbook-server 2>&1 | tail -1
  swift build -c release --product fieldbook-bench 2>&1 | tail -1
  bin="$(swift build -c release --show-bin-path)"
fi
work="$(mktemp -d)"
server_pid=""
cluster=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  [ -n "$cluster" ] && Scripts/postgres-cluster.sh stop "$cluster"
  rm -rf "$work"
}
trap cleanup EXIT

run() { # backend database
  local backend=$1 db=$2
  local engagement tokens=() url
  engagement="$("$bin/fieldbook-server" engagement create "Sync benchmark" --database "$db")"
  for i in $(seq 0 $(( ${WORKSPACES:-10} - 1 ))); do  # workspace i writes as assessor-i (FieldbookBench)
    tokens+=("$("$bin/fieldbook-server" token create --assessor "assessor-$i" --engagement "$engagement" --database "$db" 2>/dev/null)")
  done
  mkdir -p "$work/$backend"
  LOG_LEVEL=warning "$bin/fieldbook-server" serve --port 0 --database "$db" --objects "$work/$backend/objects" \
    > "$work/$backend/server.out" 2> "$work/$backend/server.err" &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$work/$backend/server.out" 2>/dev/null && break; sleep 0.1; done
  url="$(sed -n 's/.*listening on //p' "$work/$backend/server.out")"
  echo "== backend: $backend"
  "$bin/fieldbook-bench" sync "$url" "$engagement" "${tokens[@]}"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

for backend in ${BACKENDS:-sqlite postgres}; do
  case "$backend" in
  sqlite) run sqlite "$work/server.sqlite" ;;
  postgres)
    if [ -z "${FIELDBOOK_TEST_POSTGRES_URL:-}" ]; then
      cluster="$(mktemp -d /tmp/fieldbook-pg.XXXXXX)"
      Scripts/postgres-cluster.sh start "$cluster" >/dev/null
      # shellcheck source=/dev/null
      source "$cluster/env"
    fi
    name="fb_bench_$$"
    psql "$FIELDBOOK_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name"
    run postgres "${FIELDBOOK_TEST_POSTGRES_URL%/*}/$name"
    psql "$FIELDBOOK_TEST_POSTGRES_URL" -qc "DROP DATABASE $name WITH (FORCE)"
    ;;
  *) echo "bench-sync: unknown backend $backend (sqlite or postgres)" >&2; exit 1 ;;
  esac
done
