#!/usr/bin/env bash
# Render a scenario's HTML report and take a screenshot of it with headless chromium.
#
#   scripts/screenshot_report.sh [DOSSIER] [OUT_DIR] [HEIGHT]
#
# Defaults: scenarios/aav_phase12_pediatric_neuro.yaml, reports/ (git-ignored), 2000 pixels.
# Writes OUT_DIR/report.html and OUT_DIR/report.png (1280 pixels wide). Needs chromium
# (Debian: apt-get install -y chromium). Offline: the report has no external assets.
set -euo pipefail
cd "$(dirname "$0")/.."

dossier=${1:-scenarios/aav_phase12_pediatric_neuro.yaml}
out=${2:-reports}
height=${3:-2000}
bgtc=${BGTC:-.venv/bin/bgtc}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "error: chromium is not installed (apt-get install -y chromium)" >&2
    exit 2
fi

mkdir -p "$out"
"$bgtc" evaluate "$dossier" --as-of 2026-11-21 --format html -o "$out/report.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --screenshot="$out/report.png" \
    --window-size="1280,$height" "file://$(realpath "$out/report.html")" 2>/dev/null
echo "$out/report.html"
echo "$out/report.png"
