#!/usr/bin/env bash
# Copies the reference catalogs from ../shared/catalogs into the package's resources,
# after checking them with their own checker. Run it whenever ../shared/catalogs changes;
# the package then builds without ../shared. CatalogResourcesTests fails while the copies differ.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/../shared/catalogs}"
dst="$here/Sources/FieldbookCatalogs/Resources/catalogs"
[ -d "$src" ] || { echo "import-catalogs: no catalog folder at $src; pass its path as the first argument." >&2; exit 1; }
python3 "$src/check_catalogs.py"
mkdir -p "$dst"
for f in nist-ai-rmf-1.0.json iso42001-2023.json crosswalk-nist-ai-rmf-iso42001.json SOURCES.md; do
  cp "$src/$f" "$dst/$f"
done
echo "import-catalogs: copied 3 catalogs and SOURCES.md into ${dst#$here/}"
