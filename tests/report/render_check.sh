#!/usr/bin/env bash
# Renders the HTML reports in headless Chromium and checks that each gives a non-empty
# screenshot (the pages are self-contained: no network is needed). Skips (exit 0) when
# /usr/bin/chromium is absent. Usage: tests/report/render_check.sh REPORT_DIR [SCREENSHOT_DIR]
set -euo pipefail
REPORT_DIR="${1:?usage: render_check.sh REPORT_DIR [SCREENSHOT_DIR]}"
SHOT_DIR="${2:-$(mktemp -d)}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "render_check: $CHROMIUM not found, skipped"
  exit 0
fi
mkdir -p "$SHOT_DIR"
status=0
for page in comparison_report quality_report; do
  html="$REPORT_DIR/$page.html"
  shot="$SHOT_DIR/$page.png"
  if [ ! -s "$html" ]; then
    echo "render_check: FAIL $html missing or empty"
    status=1
    continue
  fi
  profile=$(mktemp -d)
  rm -f "$shot"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --user-data-dir="$profile" --hide-scrollbars --window-size=1400,3000 \
    --screenshot="$shot" "file://$(realpath "$html")" >/dev/null 2>&1 || true
  rm -rf "$profile"
  # A blank page still encodes to a few kB; a rendered report is far larger.
  size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
  if [ "$size" -gt 20000 ] && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    echo "render_check: ok $page ($size bytes, $shot)"
  else
    echo "render_check: FAIL $page screenshot missing or too small ($size bytes)"
    status=1
  fi
done
exit $status
