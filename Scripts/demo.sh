#!/usr/bin/env bash
# Fieldbook's story on an embedded default: the frameworks and the crosswalk, an offline
# assessment, two assessors merging their work by bundle file with a conflict shown and
# resolved. Everything runs in a temporary folder (kept, and named at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
echo "== Building fieldbook"
swift build --product fieldbook 2>&1 | tail -1
bin="$(swift build --show-bin-path)"
export PATH="$bin:$PATH"
demo="${DEMO_DIR:-$(mktemp -d /tmp/fieldbook-demo.XXXXXX)}"
ana="$demo/ana" ben="$demo/ben"
say() { printf '\n== %s\n' "$1"; }
run() { printf '$ fieldbook'; printf ' %q' "$@"; printf '\n'; fieldbook "$@"; }

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
printf '\nThe demo workspaces are in %s\n' "$demo"
