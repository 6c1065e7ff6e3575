#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests and benchmarks.
#   Scripts/postgres-cluster.sh start DIR   creates and starts it; prints the variables to export
#   Scripts/postgres-cluster.sh stop DIR    stops it and deletes DIR
# PostgreSQL refuses to run as root, so under root the cluster belongs to the 'postgres' system
# user (created by Debian's package). Password authentication (scram) even on loopback, so the
# server's password path is exercised; fsync is off because the cluster is thrown away.
set -euo pipefail
command=${1:?usage: postgres-cluster.sh start|stop DIR}
dir=${2:?usage: postgres-cluster.sh start|stop DIR}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres-cluster: no PostgreSQL server found; install Debian's postgresql package." >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_owner bash -c "umask 077; printf '%s\n' '$password' > '$dir/pwfile'"
  as_owner "$bin/initdb" --pgdata="$dir/data" --username=fieldbook --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/postgres.log" --wait --timeout=60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/postgres.log" >&2; exit 1; }
  PGPASSWORD=$password "$bin/psql" -q -h 127.0.0.1 -p "$port" -U fieldbook -d postgres -c "CREATE DATABASE fieldbook" >/dev/null
  cat >"$dir/env" <<VARS
export FIELDBOOK_TEST_POSTGRES_URL=postgres://fieldbook@127.0.0.1:$port/fieldbook
export FIELDBOOK_POSTGRES_PASSWORD=$password
export PGPASSWORD=$password
VARS
  cat "$dir/env"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres-cluster.sh start|stop DIR" >&2; exit 1 ;;
esac
