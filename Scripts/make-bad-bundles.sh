#!/usr/bin/env bash
# Regenerates Fixtures/bad-bundles/ (commit the result): a good bundle of engagement
# 'fixture-engagement' with an evidence file, one of another engagement, and the hostile
# variants Scripts/make-bad-bundles.py derives from them.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product fieldbook 2>&1 | tail -1
fb="$(swift build --show-bin-path)/fieldbook"
work="$(mktemp -d)"
# JSON change records, so the generator can edit changes inside the bundle.
export FIELDBOOK_BUNDLE_CHANGES=json
trap 'rm -rf "$work"' EXIT
"$fb" --workspace "$work/a" init --engagement "Fixture engagement" --assessor "Fixture Ana" --id fixture-engagement >/dev/null
"$fb" --workspace "$work/a" assess GV-1.1 --result compliant --maturity 2 >/dev/null
printf 'Signed AI policy\n' > "$work/policy.txt"
"$fb" --workspace "$work/a" evidence add "$work/policy.txt" --requirement GV-1.1 >/dev/null
"$fb" --workspace "$work/a" bundle export -o "$work/good.fbbundle" >/dev/null
"$fb" --workspace "$work/b" init --engagement "Someone else's" --assessor "Eve" --id other-engagement >/dev/null
"$fb" --workspace "$work/b" bundle export -o "$work/other.fbbundle" >/dev/null
rm -rf Fixtures/bad-bundles
python3 Scripts/make-bad-bundles.py "$work/good.fbbundle" "$work/other.fbbundle" Fixtures/bad-bundles
