#!/usr/bin/env bash
# 10 workspaces x 10k edits each (EDITS, WORKSPACES to change), all synced through one local
# fieldbook-server on loopback until converged: wall time, changes per second, bytes on the
# wire per change. Release build; the server runs on a temporary SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fieldbook-server 2>&1 | tail -1
swift build -c release --product fieldbook-bench 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db="$work/server.sqlite"
engagement="$("$bin/fieldbook-server" engagement create "Sync benchmark" --database "$db")"
tokens=()
for i in $(seq 1 "${WORKSPACES:-10}"); do
  tokens+=("$("$bin/fieldbook-server" token create --assessor "assessor-$i" --engagement "$engagement" --database "$db" 2>/dev/null)")
done
LOG_LEVEL=warning "$bin/fieldbook-server" serve --port 0 --database "$db" > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$work/server.out")"
"$bin/fieldbook-bench" sync "$url" "$engagement" "${tokens[@]}"
