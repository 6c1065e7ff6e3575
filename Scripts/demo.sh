#!/usr/bin/env bash
# Fieldbook's story on an embedded default: the frameworks and the crosswalk, an offline
# assessment, two assessors merging their work by bundle file with a conflict shown and
# resolved, then syncing through a local fieldbook-server (embedded SQLite) that the demo
# starts on loopback and stops, and last the reports (HTML and Word), the OSCAL export and a
# signed audit package, verified.
# Everything runs in a temporary folder (kept, and named at the end). Every command the demo
# runs is shown ("$ ..."); where output is cut, the demo says how much and where it all is.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
echo "== Building Fieldbook: both programs and the tests, in one debug build that Scripts/test.sh and"
echo "   README's walkthrough then reuse. The first build takes about 6 minutes on 2 cores (it compiles"
echo "   SwiftNIO, Hummingbird and postgres-nio); later builds take seconds."
# swift build prints one "[done/planned] Compiling ..." line a step. The planned total grows while
# SwiftPM finds more to build, so it is not shown: only the steps done, every 100th, and every
# line that is not a step (warnings, errors, the final verdict) as it comes.
printf '$ swift build --build-tests\n'
swift build --build-tests 2>&1 | awk '/^\[[0-9]+\/[0-9]+\]/ { if (++n % 100 == 0) { print "   " n " steps done so far"; fflush() } next } { print; fflush() }'
bin="$(swift build --show-bin-path)"
export PATH="$bin:$PATH"
demo="${DEMO_DIR:-$(mktemp -d /tmp/fieldbook-demo.XXXXXX)}"
ana="$demo/ana" ben="$demo/ben"
say() { printf '\n== %s\n' "$1"; }
# Shows a command as typed, tokens masked; on stderr, so it shows even where the command's own
# output is redirected or captured.
show() {
  local previous="" line="\$"
  for argument in "$@"; do
    if [ "$previous" = "--token" ]; then line+=" fbt_…"; else line+=" $(printf '%q' "$argument")"; fi
    previous="$argument"
  done
  printf '%s\n' "$line" >&2
}
# A command line with redirections or pipes, shown as written.
show_raw() { printf '$ %s\n' "$1" >&2; }
run() { show fieldbook "$@"; fieldbook "$@"; }
run_server() { show fieldbook-server "$@"; fieldbook-server "$@"; }
# Runs a fieldbook command, keeps its whole output in $demo/output, and shows the first $1
# lines with a note of what was cut.
run_cut() {
  local lines="$1"; shift
  cut_count=$((${cut_count:-0} + 1))
  local file="$demo/output/output-$cut_count.txt"
  mkdir -p "$demo/output"
  run "$@" > "$file"
  head -n "$lines" "$file"
  local total; total=$(wc -l < "$file")
  if [ "$total" -gt "$lines" ]; then
    printf '[... %s more lines not shown; the whole output is in %s]\n' "$((total - lines))" "$file"
  fi
}
# Shows two workspaces' canonical exports compared, as typed.
same_state() {
  show_raw "cmp <(fieldbook --workspace $1 export --json) <(fieldbook --workspace $2 export --json)"
  cmp -s <(fieldbook --workspace "$1" export --json) <(fieldbook --workspace "$2" export --json)
}

say "1. The frameworks and the crosswalk (no workspace needed)"
run catalog frameworks
run catalog show GV-1.1
run crosswalk A.6.2.4

say "2. Ana assesses Acme Credit offline (Fixtures/sample-engagement/build.sh)"
show Fixtures/sample-engagement/build.sh "$ana"
echo "(the fixture runs 23 fieldbook commands: init, 14 assess, 3 risk add, 3 evidence add, 2 finding add; their output is not shown, read the script for them)"
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
run --workspace "$ben" risk add "Chat assistant hallucinates fees" --likelihood 3 --impact 4 --requirement MS-2.5

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
if same_state "$ana" "$ben"; then
  printf '\nBoth laptops now hold byte-identical state (fieldbook export --json).\n'
else
  echo "The two laptops differ; this is a bug." >&2
  exit 1
fi

say "7. Back at the office: a central server (fieldbook-server on embedded SQLite, over HTTPS)"
server_db="$demo/server.sqlite"
show fieldbook --workspace "$ana" status --field engagement
engagement="$(fieldbook --workspace "$ana" status --field engagement)"
run_server engagement create "Acme Credit AI governance review" --id "$engagement" --database "$server_db"
# Each token is bound to its assessor's signing key ('fieldbook status' shows it), so Ana may
# push Ben's signed work that she received by bundle, and nobody can write as anyone else.
run --workspace "$ana" status --field public-key
run --workspace "$ben" status --field public-key
ana_token="$(run_server token create --assessor "Ana Ruiz" --engagement "$engagement" --public-key "$(fieldbook --workspace "$ana" status --field public-key)" --database "$server_db")"
ben_token="$(run_server token create --assessor "Ben Okafor" --engagement "$engagement" --public-key "$(fieldbook --workspace "$ben" status --field public-key)" --database "$server_db")"
echo "(the tokens are printed once, on stdout, which the demo keeps in variables; only their hashes are stored)"
# HTTPS with a private certificate authority the demo makes for itself; in an office this is
# the organisation's CA (or a public one), and docs/deploy.md says how to rotate it.
tls="$demo/tls"
mkdir -p "$tls"
show_raw "openssl req -x509 -newkey ec ... -out $tls/ca.pem   # the demo's own CA"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tls/ca.key" -out "$tls/ca.pem" -days 30 \
  -subj "/CN=Fieldbook demo CA" 2>/dev/null
show_raw "openssl req/x509 ... -out $tls/server.pem   # the server's certificate for 127.0.0.1, signed by that CA"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tls/server.key" -out "$tls/server.csr" \
  -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$tls/server.cnf"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -out "$tls/server.pem" -days 30 \
  -extfile "$tls/server.cnf" 2>/dev/null
show_raw "fieldbook-server serve --port 0 --database $server_db --tls-cert $tls/server.pem --tls-key $tls/server.key > $demo/server.out 2> $demo/server.log &"
fieldbook-server serve --port 0 --database "$server_db" --tls-cert "$tls/server.pem" --tls-key "$tls/server.key" \
  > "$demo/server.out" 2> "$demo/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$demo/server.out" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$demo/server.out")"
echo "server listening on $url (its log: $demo/server.log)"
run --workspace "$ana" remote add origin "$url" --token "$ana_token" --ca-cert "$tls/ca.pem"
run --workspace "$ben" remote add origin "$url" --token "$ben_token" --ca-cert "$tls/ca.pem"
run --workspace "$ana" sync
run --workspace "$ben" sync

say "8. Offline again, they disagree on a risk's likelihood; sync shows the conflict"
show_raw "fieldbook --workspace $ana risk list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"risks\"][0][\"id\"])'"
risk="$(fieldbook --workspace "$ana" risk list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["risks"][0]["id"])')"
echo "(the first risk: $risk)"
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
if same_state "$ana" "$ben"; then
  printf '\nAfter syncing through the server both laptops hold byte-identical state.\n'
else
  echo "The two laptops differ after sync; this is a bug." >&2
  exit 1
fi
show kill "$server_pid"
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
trap - EXIT
echo "server stopped"

say "9. The AI management system: inventory, impact assessment, Statement of Applicability"
run --workspace "$ana" system add "Credit scoring CS-7" --purpose "Scores consumer credit applications" --owner "Head of Credit Risk" --stage deployed --risk-tier high
run --workspace "$ana" system add "Customer chat assistant" --purpose "Answers product questions" --stage deployed --risk-tier medium
run --workspace "$ana" impact add "Credit scoring CS-7" --summary "Older applicants are scored lower" --affected "Applicants over 60" --severity 4 --likelihood 3 --date 2026-10-01
run --workspace "$ana" applicability set A.6.2.4 --included --justification "Both systems are validated before release"
run --workspace "$ana" applicability set A.8.4 --excluded --justification "No external reporting obligation in scope"
run --workspace "$ana" system list
run_cut 12 --workspace "$ana" report soa --format md
run --workspace "$ana" report progress --format md

say "10. The reports the client pays for"
reports="$demo/reports"
show mkdir -p "$reports"
mkdir -p "$reports"
run --workspace "$ana" report gap --framework iso42001 --format html -o "$reports/gap-iso42001.html"
run --workspace "$ana" report gap --framework nist-ai-rmf --format html -o "$reports/gap-nist-ai-rmf.html"
run --workspace "$ana" report risks --format html -o "$reports/risks.html"
run --workspace "$ana" report soa --format html -o "$reports/statement-of-applicability.html"
run --workspace "$ana" report progress --format html -o "$reports/progress.html"
run --workspace "$ana" report findings --format html -o "$reports/corrective-actions.html"
run --workspace "$ana" report soa --format docx --final --approved-by "Dana Lee, CRO" -o "$reports/statement-of-applicability.docx"
run --workspace "$ana" export oscal -o "$reports/assessment-results.oscal.json"
run --workspace "$ana" export package -o "$reports/audit-package.zip"
run package verify "$reports/audit-package.zip"
run_cut 40 --workspace "$ana" report risks --format md
printf '\nThe gap analysis against ISO/IEC 42001 (with what the AI RMF results imply through the crosswalk):\n\n'
run_cut 40 --workspace "$ana" report gap --framework iso42001 --format md
printf '\nHTML and Word reports, the OSCAL export and the verified audit package are in %s\n' "$reports"
printf 'The demo workspaces, bundles and server database are in %s\n' "$demo"
printf '\nThe programs are built; to follow README'"'"'s walkthrough with them, put them on your PATH:\n'
printf '  export PATH="%s:$PATH"\n' "$bin"
