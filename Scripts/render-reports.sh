#!/usr/bin/env bash
# Renders every HTML report in a folder to PNG with headless Chromium (apt-get install
# chromium), to look at what a person sees: render-reports.sh FOLDER [WIDTH] [HEIGHT].
set -euo pipefail
folder="${1:?usage: render-reports.sh FOLDER [WIDTH] [HEIGHT]}"
command -v chromium >/dev/null || { echo "render-reports: chromium is missing; apt-get install chromium" >&2; exit 1; }
for page in "$folder"/*.html; do
  png="${page%.html}.png"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="${2:-1280},${3:-1600}" \
    --screenshot="$png" "file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")" >/dev/null 2>&1
  echo "rendered $png"
done
