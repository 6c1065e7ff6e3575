#!/usr/bin/env bash
# Builds the previous release's fieldbook and fieldbook-server from its commit, once, and prints
# the folder holding them: the compatibility tests (Tests/Compatibility) run them beside this
# build. Usage: Scripts/previous-release.sh [COMMIT] (default: f64343e, the release before 0.2,
# whose upgrade fixtures are Fixtures/upgrade/release-f64343e; named here, not taken as the
# newest fixture, since fixtures of later builds of 0.2 sit beside it). FIELDBOOK_PREVIOUS_BIN
# names a folder that holds them already (nothing is built then).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${FIELDBOOK_PREVIOUS_BIN:-}" ]; then
  [ -x "$FIELDBOOK_PREVIOUS_BIN/fieldbook" ] && [ -x "$FIELDBOOK_PREVIOUS_BIN/fieldbook-server" ] || {
    echo "previous-release: FIELDBOOK_PREVIOUS_BIN=$FIELDBOOK_PREVIOUS_BIN holds no fieldbook and fieldbook-server" >&2; exit 1; }
  echo "$FIELDBOOK_PREVIOUS_BIN"; exit 0
fi
commit="${1:-f64343e}"
out="$PWD/.build-previous/$commit"
if [ -x "$out/fieldbook" ] && [ -x "$out/fieldbook-server" ]; then echo "$out"; exit 0; fi
git cat-file -e "$commit^{commit}" 2>/dev/null || { echo "previous-release: commit $commit is not in this clone's history" >&2; exit 1; }
source="$PWD/.build-previous/source-$commit"
rm -rf "$source"
git worktree prune
git worktree add --detach --force "$source" "$commit" >/dev/null 2>&1
# Built in its own folder, so this build's .build is untouched; the products and their
# resource bundles (catalogs, report templates) are copied out, the sources removed.
(cd "$source" && swift build -c debug --product fieldbook >&2 && swift build -c debug --product fieldbook-server >&2)
bin="$(cd "$source" && swift build -c debug --show-bin-path)"
mkdir -p "$out"
cp "$bin/fieldbook" "$bin/fieldbook-server" "$out/"
cp -r "$bin"/*.resources "$out/"
git worktree remove --force "$source"
echo "$out"
