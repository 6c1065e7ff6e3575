#!/usr/bin/env bash
# Writes Fixtures/upgrade/: a workspace, a bundle and server databases (SQLite, and a PostgreSQL
# dump) made by a previous release's binaries, so UpgradeTests can prove a new build opens,
# imports and serves them with every old signature still valid. Run once per release whose files
# must stay readable, with that release's binaries:
#   Scripts/make-upgrade-fixtures.sh OLD_BIN_DIR RELEASE_NAME [POSTGRES_URL]
# (OLD_BIN_DIR holds its fieldbook and fieldbook-server; POSTGRES_URL, with the password in
# PGPASSWORD, a database to write the PostgreSQL dump from; it is emptied first.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: make-upgrade-fixtures.sh OLD_BIN_DIR RELEASE_NAME [POSTGRES_URL]}
release=${2:?usage: make-upgrade-fixtures.sh OLD_BIN_DIR RELEASE_NAME [POSTGRES_URL]}
postgres=${3:-}
out="$PWD/Fixtures/upgrade/$release"
work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
rm -rf "$out"; mkdir -p "$out"
fb() { "$bin/fieldbook" "$@"; }

# Two assessors, a bundle each way, evidence, a conflict resolved.
mkdir -p "$work/ana" "$work/ben"
cd "$work/ana"
fb init --engagement "Upgrade fixture" --id upgrade-fixture --assessor "Ana Ruiz" >/dev/null
fb assess A.6.2.4 --result partially-compliant --maturity 2 --note "Validation done, fairness breached" >/dev/null
printf 'validation report\n' > report.txt
fb evidence add report.txt --requirement A.6.2.4 --requirement MS-2.11 >/dev/null
fb risk add "Unfair outcomes for older applicants" --likelihood 4 --impact 5 --requirement MS-2.11 >/dev/null
fb finding add "No impact assessment" --requirement 6.1.4 --severity major --due 2027-02-28 >/dev/null
fb bundle export -o "$work/ana-1.fbbundle" >/dev/null
cd "$work/ben"
fb clone "$work/ana-1.fbbundle" --assessor "Ben Okafor" --workspace . >/dev/null
fb assess A.6.2.4 --result non-compliant --note "Fairness test failed twice" >/dev/null
fb assess GV-1.1 --result compliant >/dev/null
fb bundle export -o "$work/ben-1.fbbundle" >/dev/null
cd "$work/ana"
fb assess A.6.2.4 --result compliant >/dev/null
fb bundle import "$work/ben-1.fbbundle" >/dev/null
fb resolve A.6.2.4 status --keep "Ben Okafor" >/dev/null
fb bundle export -o "$work/ana-2.fbbundle" >/dev/null

# A server that both assessors synced through.
serve() { # database; sets url and server_pid
  "$bin/fieldbook-server" serve --port 0 --database "$1" --objects "$work/objects" > "$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "^fieldbook-server listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^fieldbook-server listening on //p' "$work/server.out")
}
publish() { # database remote-name folder (the assessors' workspaces under it)
  local home=$3
  "$bin/fieldbook-server" engagement create "Upgrade fixture" --id upgrade-fixture --database "$1" >/dev/null
  ana_key=$(cd "$home/ana" && fb status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])')
  ben_key=$(cd "$home/ben" && fb status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])')
  ana_token=$("$bin/fieldbook-server" token create --assessor "Ana Ruiz" --engagement upgrade-fixture --public-key "$ana_key" --database "$1" 2>/dev/null)
  ben_token=$("$bin/fieldbook-server" token create --assessor "Ben Okafor" --engagement upgrade-fixture --public-key "$ben_key" --database "$1" 2>/dev/null)
  serve "$1"
  (cd "$home/ana" && fb remote add "$2" "$url" --token "$ana_token" >/dev/null && fb sync "$2" >/dev/null)
  (cd "$home/ben" && fb remote add "$2" "$url" --token "$ben_token" >/dev/null && fb sync "$2" >/dev/null)
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}
# A workspace pins the engagement key of the first server it syncs with (0.2 and later), so the
# PostgreSQL server is published from copies of the workspaces as they were before any sync.
mkdir -p "$work/before-sync"
cp -r "$work/ana" "$work/ben" "$work/before-sync/"
publish "$work/server.sqlite" sqlite "$work"
python3 - "$work/server.sqlite" "$work/ana/.fieldbook/fieldbook.sqlite" "$work/ben/.fieldbook/fieldbook.sqlite" <<'PY'
import sqlite3, sys
for path in sys.argv[1:]:
    db = sqlite3.connect(path); db.execute("PRAGMA wal_checkpoint(TRUNCATE)"); db.execute("PRAGMA journal_mode=DELETE"); db.close()
PY
if [ -n "$postgres" ]; then
  psql "$postgres" -qc "DROP SCHEMA public CASCADE; CREATE SCHEMA public"
  publish "$postgres" postgres "$work/before-sync"
  pg_dump --no-owner --no-privileges "$postgres" > "$out/server-postgres.sql"
fi

cp "$work/server.sqlite" "$out/server.sqlite"
cp -r "$work/objects" "$out/server-objects"
mkdir -p "$out/ana"
cp -r "$work/ana/.fieldbook" "$out/ana/.fieldbook"
rm -rf "$out/ana/.fieldbook/tmp" "$out/ana/.fieldbook/"*-wal "$out/ana/.fieldbook/"*-shm
cp "$work/ana-2.fbbundle" "$out/ana.fbbundle"
cp "$work/ben-1.fbbundle" "$out/ben.fbbundle"
(cd "$work/ana" && fb export --json) > "$out/ana-export.json"
(cd "$work/ana" && fb status --json) > "$out/ana-status.json"
echo "upgrade fixtures of $release in $out"
