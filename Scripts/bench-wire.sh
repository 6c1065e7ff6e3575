#!/usr/bin/env bash
# Bytes on the wire per change moved by real `fieldbook sync` runs, HTTP heads included.
# WORKSPACES assessors (default 4) each make EDITS (default 250) edits with the CLI, then every
# workspace syncs twice round through Scripts/byte-relay.py in front of a local
# fieldbook-server, until all hold the same changes. The bytes are counted by that relay, outside
# the product, so the figure does not rest on the product's own accounting. Release build.
# Exit 1 when the workspaces do not converge. Needs python3 and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
workspaces=${WORKSPACES:-4}
edits=${EDITS:-250}
# FIELDBOOK_BIN: a folder holding release builds of fieldbook and fieldbook-server (else built here).
if [ -n "${FIELDBOOK_BIN:-}" ]; then
  bin=$FIELDBOOK_BIN
else
  swift build -c release --product fieldbook-server 2>&1 | tail -1
  swift build -c release --product fieldbook 2>&1 | tail -1
  bin="$(swift build -c release --show-bin-path)"
fi
work="$(mktemp -d)"
db="$work/server.sqlite"
server_pid=""
relay_pid=""
cleanup() {
  # Waited for, so neither writes into the folder while it is being removed.
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# Keep the user's own identity and config out of it (and untouched).
export XDG_CONFIG_HOME="$work/config"

fb() { "$bin/fieldbook" "$@"; }
srv() { "$bin/fieldbook-server" "$@" --database "$db"; }
ws() { echo "$work/ws$1"; }
status() { fb --workspace "$(ws "$1")" status --json | jq -r ".$2"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A server-side engagement first, so every workspace starts under its id (init --id).
engagement="$(srv engagement create "Wire benchmark" --json | jq -r .id)"
tokens=()
for i in $(seq 0 $(( workspaces - 1 ))); do
  mkdir -p "$(ws "$i")"
  fb --workspace "$(ws "$i")" init --engagement "Wire benchmark" --assessor "Assessor $i" --id "$engagement" >/dev/null
  # Bound to the workspace's key, as in the README, so anyone may relay anyone's changes.
  tokens+=("$(srv token create --assessor "Assessor $i" --engagement "$engagement" \
    --public-key "$(fb --workspace "$(ws "$i")" status --field public-key)" --json | jq -r .token)")
done

# The binary itself, not the srv function: $! must be the server's pid, not a subshell's.
LOG_LEVEL=warning "$bin/fieldbook-server" serve --port 0 --database "$db" --objects "$work/objects" \
  > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$work/server.out")"
[ -n "$url" ] || { echo "bench-wire: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }

python3 Scripts/byte-relay.py --upstream "${url#http://}" --counts "$work/relay.json" > "$work/relay.out" &
relay_pid=$!
for _ in $(seq 1 100); do [ -s "$work/relay.out" ] && break; kill -0 "$relay_pid"; sleep 0.1; done
relay_port="$(head -1 "$work/relay.out")"
for i in $(seq 0 $(( workspaces - 1 ))); do
  fb --workspace "$(ws "$i")" remote add origin "http://127.0.0.1:$relay_port" --token "${tokens[$i]}" >/dev/null
done

mapfile -t nist < <(fb catalog list --framework nist-ai-rmf --json | jq -r '.requirements[] | select(.assessable) | .id')
mapfile -t iso < <(fb catalog list --framework iso42001 --json | jq -r '.requirements[] | select(.assessable) | .id')
results=(compliant partially-compliant non-compliant not-applicable)
titles=("Unfair outcomes for older applicants" "Training data drift unmonitored" "No human review of declined cases"
  "Model card out of date" "Third-party model supplier not assessed" "Incident log kept by one person")
notes=("Policy exists, not yet approved by the board" "Evidence seen: signed validation report"
  "Interviewed the model owner; process is informal" "Control covered by the vendor's SOC 2 report"
  "Sampled 20 decisions, 3 lacked a documented rationale")

# init makes a change too (the engagement's name); it travels like the rest.
from_init=0
for i in $(seq 0 $(( workspaces - 1 ))); do from_init=$(( from_init + $(status "$i" own_changes) )); done

# A fixed seed: two runs make the same edits, so their byte counts compare.
RANDOM=42
started="$(now)"
for i in $(seq 0 $(( workspaces - 1 ))); do
  w="$(ws "$i")"
  risk=""
  for e in $(seq 1 "$edits"); do
    # Roughly an assessor's day: mostly results with notes, new risks, some risks re-rated.
    case $(( RANDOM % 5 )) in
    0 | 1)
      fb --workspace "$w" assess "${nist[RANDOM % ${#nist[@]}]}" --result "${results[RANDOM % 4]}" \
        --maturity $(( RANDOM % 6 )) --note "${notes[RANDOM % ${#notes[@]}]}" >/dev/null ;;
    2)
      fb --workspace "$w" assess "${iso[RANDOM % ${#iso[@]}]}" --result "${results[RANDOM % 4]}" \
        --note "${notes[RANDOM % ${#notes[@]}]}" >/dev/null ;;
    3)
      # Drawn out here: $RANDOM inside $(...) would not advance the seeded sequence.
      args=("${titles[RANDOM % ${#titles[@]}]} ($i.$e)" --likelihood $(( RANDOM % 5 + 1 ))
        --impact $(( RANDOM % 5 + 1 )) --owner "Assessor $i"
        --requirement "${nist[RANDOM % ${#nist[@]}]}" --requirement "${iso[RANDOM % ${#iso[@]}]}")
      risk="$(fb --workspace "$w" risk add "${args[@]}")" ;;
    4)
      if [ -n "$risk" ]; then
        fb --workspace "$w" risk update "$risk" --likelihood $(( RANDOM % 5 + 1 )) --treatment mitigate >/dev/null
      else
        fb --workspace "$w" assess "${iso[RANDOM % ${#iso[@]}]}" --result not-assessed >/dev/null
      fi ;;
    esac
  done
done
edited="$(now)"

# Changes counted from the workspaces themselves: one command may make several changes.
total=0
for i in $(seq 0 $(( workspaces - 1 ))); do total=$(( total + $(status "$i" own_changes) )); done

# The first round leaves the last workspace complete; the second brings the rest up to it.
for _ in 1 2; do
  for i in $(seq 0 $(( workspaces - 1 ))); do fb --workspace "$(ws "$i")" sync >/dev/null; done
done
synced="$(now)"

kill -TERM "$relay_pid"
wait "$relay_pid"
relay_pid=""

converged=1
for i in $(seq 0 $(( workspaces - 1 ))); do
  held="$(status "$i" changes)"
  if [ "$held" != "$total" ]; then
    echo "bench-wire: workspace $i holds $held changes, not $total" >&2
    converged=0
  fi
done

c2s="$(jq .client_to_server "$work/relay.json")"
s2c="$(jq .server_to_client "$work/relay.json")"
connections="$(jq .connections "$work/relay.json")"
moved=$(( total * workspaces ))  # each change goes up once and down to every other workspace
echo "== $workspaces workspaces x $edits edit commands (edits $(secs "$started" "$edited")s, syncs $(secs "$edited" "$synced")s)"
echo "  changes made: $total ($(( total - from_init )) by the edits, $from_init by init)"
echo "  changes moved: $moved"
echo "  bytes client -> server: $c2s"
echo "  bytes server -> client: $s2c"
echo "  connections: $connections"
awk -v b=$(( c2s + s2c )) -v m="$moved" 'BEGIN { printf "  per change moved, HTTP included (relay count): %.1f bytes\n", b / m }'
if [ "$converged" != 1 ]; then
  echo "bench-wire: the workspaces did not converge" >&2
  exit 1
fi
echo "  converged: every workspace holds $total changes"
