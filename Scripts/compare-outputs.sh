#!/usr/bin/env bash
# Runs every read command (text and --json), every report in every format, the exports, the
# log, writes with a fixed clock and a set of refusals with two fieldbook binaries on copies of
# one rich workspace, and lists every output that differs (stdout, stderr or exit status).
# The proof a refactor changed nothing a user sees. Debug builds (FIELDBOOK_NOW_MS fixes the
# clock of writes); the workspace is built once, by the first binary.
#
# Usage: Scripts/compare-outputs.sh OLD_FIELDBOOK NEW_FIELDBOOK [FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
old="${1:?usage: compare-outputs.sh OLD_FIELDBOOK NEW_FIELDBOOK [FOLDER]}"
new="${2:?usage: compare-outputs.sh OLD_FIELDBOOK NEW_FIELDBOOK [FOLDER]}"
root="${3:-$(mktemp -d /tmp/fieldbook-compare.XXXXXX)}"
export FIELDBOOK_NOW_MS=1790000000000
base="$root/base"

# The rich workspace: the sample engagement, imported libraries, an AI system and impact
# assessment, SoA decisions, and a conflict brought in by a second assessor's bundle.
FIELDBOOK="$old" Fixtures/sample-engagement/build.sh "$base" >/dev/null
f() { "$old" --workspace "$base" "$@" >/dev/null; }
f catalog import Fixtures/libraries/*.yaml
f system add "Credit scoring CS-7" --purpose "Scores consumer credit" --stage deployed --risk-tier high
f impact add "Credit scoring CS-7" --summary "Older applicants scored lower" --severity 4 --likelihood 3 --date 2026-10-01
f applicability set A.8.4 --excluded --justification "No external reporting obligation"
f applicability set A.6.2.4 --included --justification "Both systems validated before release"
f assess ID.RA-07 --result partially-compliant --note "Risk assessment partly done"
"$old" --workspace "$base" bundle export -o "$root/ana.fbbundle" >/dev/null
"$old" clone "$root/ana.fbbundle" --workspace "$root/ben" --assessor "Ben Okafor" >/dev/null
"$old" --workspace "$root/ben" assess A.6.2.4 --result compliant --note "Ben saw the fairness fix" >/dev/null
f assess A.6.2.4 --result non-compliant --note "Ana saw the breach"
"$old" --workspace "$root/ben" bundle export -o "$root/ben.fbbundle" >/dev/null
f bundle import "$root/ben.fbbundle"
risk=$("$old" --workspace "$base" risk list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["risks"][0]["id"])')
finding=$("$old" --workspace "$base" finding list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["findings"][0]["id"])')

commands=(
  "status" "status --json" "log" "log --json" "log --verify" "history A.6.2.4" "history A.6.2.4 --json"
  "show A.6.2.4" "show A.6.2.4 --json" "show MS-2.11" "show CHG-03 --json" "show $risk" "show $finding --json"
  "risk list" "risk list --json" "finding list" "finding list --json" "evidence list" "evidence list --json" "evidence verify"
  "system list" "system list --json" "impact list" "conflicts" "conflicts --json" "remote list"
  "catalog frameworks" "catalog frameworks --json" "catalog list --framework iso42001" "catalog list --under GOVERN --json"
  "catalog show GV-1.1" "catalog show A.6.2.4 --json" "catalog search impact assessment" "catalog search impact --json"
  "crosswalk A.6.2.4" "crosswalk A.5.2 --json" "crosswalk CHG-03" "crosswalk --export oscal-mapping"
  "export --json" "export oscal"
)
for report in "gap --framework iso42001" "gap --framework nist-ai-rmf" "gap --framework demo-csf" "risks" "soa" "progress" "findings"; do
  for format in md html csv json; do commands+=("report $report --format $format"); done
  commands+=("report $report --format docx -o OUT/report.docx")
done
commands+=("export package -o OUT/package.zip")
# Writes on a copy each, with the fixed clock: outputs and the state after them.
writes=(
  "assess GV-1.1 --result non-compliant --maturity 1 --note changed"
  "risk update $risk --likelihood 2 --status mitigated"
  "finding update $finding --status closed"
  "applicability set A.10.3 --excluded --justification Suppliers"
  "resolve A.6.2.4 status --value compliant"
)
# Refusals: each must fail the same way and change nothing.
refusals=(
  "assess GOVERN --result compliant" "assess A.99 --result compliant" "assess GV-1.1 --result maybe"
  "assess 6.1 --result compliant" "applicability set A.8.4 --excluded" "applicability set 6.1.2 --included"
  "risk add '' --likelihood 3 --impact 3" "risk add X --likelihood 9 --impact 3" "finding add X"
  "finding add X --requirement NOPE" "finding add X --requirement A.6.2.4 --due 2027-02-30" "evidence add /nonexistent --requirement GV-1.1"
  "system add ''" "report gap --framework nope" "report soa --final" "show NOPE" "crosswalk" "risk update 0000 --title X"
)

run_all() {
  local bin="$1" out="$2"
  mkdir -p "$out"
  local index=0
  for command in "${commands[@]}" "${writes[@]/#/WRITE }" "${refusals[@]/#/REFUSE }"; do
    index=$((index + 1))
    local work="$out/work-$index" kind="read" line="$command"
    case "$command" in WRITE\ *) kind=write; line="${command#WRITE }";; REFUSE\ *) kind=refuse; line="${command#REFUSE }";; esac
    rm -rf "$work"; cp -a "$base" "$work"
    mkdir -p "$work/OUT"
    line="${line//OUT\//$work/OUT/}"
    set +e
    eval "\"$bin\" --workspace \"$work\" $line" >"$out/$index.out" 2>"$out/$index.err"
    echo "exit $?" >>"$out/$index.err"
    set -e
    for file in "$work"/OUT/*; do [ -e "$file" ] && cp "$file" "$out/$index.$(basename "$file")"; done
    if [ "$kind" != read ]; then "$bin" --workspace "$work" export --json >"$out/$index.state" 2>&1 || true; fi
    sed -i "s#$work#WORK#g" "$out/$index.out" "$out/$index.err"
    echo "$line" >"$out/$index.command"
    rm -rf "$work"
  done
}
run_all "$old" "$root/old"
run_all "$new" "$root/new"
differ=0
for command in "$root"/old/*.command; do
  index=$(basename "$command" .command)
  for file in "$root"/old/"$index".*; do
    name=$(basename "$file")
    [ "$name" = "$index.command" ] && continue
    if ! cmp -s "$file" "$root/new/$name"; then
      echo "differs: $(cat "$command") ($name)"
      differ=$((differ + 1))
    fi
  done
done
echo "compare: $(ls "$root"/old/*.command | wc -l) commands, $differ outputs differ; both runs in $root"
