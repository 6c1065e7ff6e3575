#!/usr/bin/env bash
# Fieldbook's story on an embedded default: the frameworks and the crosswalk, an offline
# assessment, two assessors merging their work by bundle file with a conflict shown and
# resolved, then syncing through a local fieldbook-server (embedded SQLite) that the demo
# starts on loopback and stops, and last the gap analysis, risk register and OSCAL export. Everything runs in a temporary folder (kept, and
# named at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
echo "== Building fieldbook and fieldbook-server (the first build takes a few minutes)"
swift build --product fieldbook 2>&1 | tail -1
swift build --product fieldbook-server 2>&1 | tail -1
bin="$(swift build --show-bin-path)"
export PATH="$bin:$PATH"
demo="${DEMO_DIR:-$(mktemp -d /tmp/fieldbook-demo.XXXXXX)}"
ana="$demo/ana" ben="$demo/ben"
say() { printf '\n== %s\n' "$1"; }
# Echo each command as typed, tokens masked.
run() {
  printf '$ fieldbook'
  local previous=""
  for argument in "$@"; do
    if [ "$previous" = "--token" ]; then printf ' fbt_…'; else printf ' %q' "$argument"; fi
    previous="$argument"
  done
  printf '\n'
  fieldbook "$@"
}

say "1. The frameworks and the crosswalk (no workspace needed)"
run catalog frameworks
run catalog show GV-1.1
run crosswalk A.6.2.4

say "2. Ana assesses Acme Credit offline (Fixtures/sample-engagement/build.sh)"
FIELDBOOK=fieldbook ASSESSOR="Ana Ruiz" Fixtures/sample-engagement/build.sh "$ana"
run --workspace "$ana" status
run --workspace "$ana" risk list
printf '\nWhat the AI RMF results imply for Annex A control A.5.2, through the crosswalk:\n'
run --workspace "$ana" show A.5.2

say "3. Ana hands her work to Ben on a USB stick; Ben clones it"
run --workspace "$ana" bundle export -o "$demo/ana-1.fbbundle"
run clone "$demo/ana-1.fbbundle" --assessor "Ben Okafor" --workspace "$ben"

say "4. Both keep working offline and disagree on A.6.2.4"
run --workspace "$ben" assess A.6.2.4 --result non-compliant --note "No V&V sign-off for the chat assistant"
run --workspace "$ana" assess A.6.2.4 --result compliant --maturity 3 --note "Fairness retest passed"
run --workspace "$ben" risk add "Chat assistant hallucinates fees" --likelihood 3 --impact 4 --requirement MS-2.5 >/dev/null

say "5. They swap bundles: nothing is lost, the disagreement shows as a conflict"
run --workspace "$ben" bundle export -o "$demo/ben-1.fbbundle"
run --workspace "$ana" bundle import "$demo/ben-1.fbbundle"
run --workspace "$ana" conflicts

say "6. Ana resolves both fields; the resolution travels back to Ben"
run --workspace "$ana" resolve A.6.2.4 status --keep "Ben Okafor"
run --workspace "$ana" resolve A.6.2.4 note --value "Fairness retest passed; no V&V sign-off for the chat assistant"
run --workspace "$ana" bundle export -o "$demo/ana-2.fbbundle" --since-bundle "$demo/ben-1.fbbundle"
run --workspace "$ben" bundle import "$demo/ana-2.fbbundle"
run --workspace "$ben" conflicts
run --workspace "$ben" history A.6.2.4
if cmp -s <(fieldbook --workspace "$ana" export --json) <(fieldbook --workspace "$ben" export --json); then
  printf '\nBoth laptops now hold byte-identical state (fieldbook export --json).\n'
else
  echo "The two laptops differ; this is a bug." >&2
  exit 1
fi

say "7. Back at the office: a central server (fieldbook-server on embedded SQLite)"
server_db="$demo/server.sqlite"
engagement="$(fieldbook --workspace "$ana" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["engagement"]["id"])')"
run_server() { printf '$ fieldbook-server'; printf ' %q' "$@"; printf '\n'; fieldbook-server "$@"; }
run_server engagement create "Acme Credit AI governance review" --id "$engagement" --database "$server_db"
# Each token is bound to its assessor's signing key, so Ana may push Ben's signed work that
# she received by bundle, and nobody can write as anyone else.
public_key() { fieldbook --workspace "$1" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])'; }
ana_token="$(fieldbook-server token create --assessor "Ana Ruiz" --engagement "$engagement" --public-key "$(public_key "$ana")" --database "$server_db" 2>/dev/null)"
ben_token="$(fieldbook-server token create --assessor "Ben Okafor" --engagement "$engagement" --public-key "$(public_key "$ben")" --database "$server_db" 2>/dev/null)"
fieldbook-server serve --port 0 --database "$server_db" > "$demo/server.out" 2> "$demo/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$demo/server.out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$demo/server.out")"
echo "server listening on $url (tokens issued for Ana and Ben, bound to their signing keys; only the tokens' hashes are stored)"
run --workspace "$ana" remote add origin "$url" --token "$ana_token"
run --workspace "$ben" remote add origin "$url" --token "$ben_token"
run --workspace "$ana" sync
run --workspace "$ben" sync

say "8. Offline again, they disagree on a risk's likelihood; sync shows the conflict"
risk="$(fieldbook --workspace "$ana" risk list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["risks"][0]["id"])')"
run --workspace "$ana" risk update "$risk" --likelihood 3
run --workspace "$ben" risk update "$risk" --likelihood 5
run --workspace "$ben" sync
run --workspace "$ana" sync
run --workspace "$ana" conflicts
run --workspace "$ana" resolve "$risk" likelihood --value 4
run --workspace "$ana" sync
run --workspace "$ben" sync
run --workspace "$ben" conflicts
run --workspace "$ben" log --verify
if cmp -s <(fieldbook --workspace "$ana" export --json) <(fieldbook --workspace "$ben" export --json); then
  printf '\nAfter syncing through the server both laptops hold byte-identical state.\n'
else
  echo "The two laptops differ after sync; this is a bug." >&2
  exit 1
fi
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
trap - EXIT
echo "server stopped"

say "9. The AI management system: inventory, impact assessment, Statement of Applicability"
run --workspace "$ana" system add "Credit scoring CS-7" --purpose "Scores consumer credit applications" --owner "Head of Credit Risk" --stage deployed --risk-tier high >/dev/null
run --workspace "$ana" system add "Customer chat assistant" --purpose "Answers product questions" --stage deployed --risk-tier medium >/dev/null
run --workspace "$ana" impact add "Credit scoring CS-7" --summary "Older applicants are scored lower" --affected "Applicants over 60" --severity 4 --likelihood 3 --date 2026-10-01 >/dev/null
run --workspace "$ana" applicability set A.6.2.4 --included --justification "Both systems are validated before release"
run --workspace "$ana" applicability set A.8.4 --excluded --justification "No external reporting obligation in scope"
run --workspace "$ana" system list
run --workspace "$ana" report soa --format md | sed -n '1,12p'
run --workspace "$ana" report progress --format md

say "10. The reports the client pays for"
reports="$demo/reports"
mkdir -p "$reports"
run --workspace "$ana" report gap --framework iso42001 --format html -o "$reports/gap-iso42001.html"
run --workspace "$ana" report gap --framework nist-ai-rmf --format html -o "$reports/gap-nist-ai-rmf.html"
run --workspace "$ana" report risks --format html -o "$reports/risks.html"
run --workspace "$ana" report soa --format html -o "$reports/statement-of-applicability.html"
run --workspace "$ana" report progress --format html -o "$reports/progress.html"
run --workspace "$ana" export oscal -o "$reports/assessment-results.oscal.json"
run --workspace "$ana" report risks --format md | sed -n '1,20p'
printf '\nThe gap analysis against ISO/IEC 42001 (with what the AI RMF results imply through the crosswalk):\n\n'
run --workspace "$ana" report gap --framework iso42001 --format md | sed -n '1,40p'
printf '\nHTML reports and the OSCAL export are in %s\n' "$reports"
printf 'The demo workspaces, bundles and server database are in %s\n' "$demo"
