#!/usr/bin/env bash
# Fieldbook's story on an embedded default: the frameworks, a crosswalk lookup, and
# (as the product grows) an offline assessment, a merge, a sync and a gap report.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
echo "== Building fieldbook"
swift build --product fieldbook 2>&1 | tail -1
bin="$(swift build --show-bin-path)"
fieldbook() { "$bin/fieldbook" "$@"; }
step() { printf '\n== %s\n$ fieldbook %s\n' "$1" "${*:2}"; fieldbook "${@:2}"; }

step "The two frameworks and the crosswalk Fieldbook ships" catalog frameworks
step "An AI RMF subcategory, typed the short way" catalog show GV-1.1
step "What ISO/IEC 42001 Annex A control A.6.2.4 relates to in the AI RMF" crosswalk A.6.2.4
step "Finding requirements by words" catalog search impact assessment --limit 5
