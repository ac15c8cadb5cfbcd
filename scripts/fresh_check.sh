#!/usr/bin/env bash
# Runs both README commands the way a new user would: a fresh clone of the committed HEAD in a temp
# folder, with ../shared beside it (linked), `bash scripts/demo.sh` and then `bash scripts/test.sh`.
# Run it before every stop. It reuses nothing from this checkout but ccache's objects and pip's
# download cache. CALM_FRESH_KEEP=1 keeps the folder; the log is <tmp>/fresh_check.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d /tmp/calm-fresh.XXXXXX)
[ "${CALM_FRESH_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
[ -d ../shared ] && ln -s "$(cd ../shared && pwd)" "$work/shared"
git clone -q "$repo" "$work/main"
cd "$work/main"
log="$work/fresh_check.log"
step() {
  local start=$(date +%s)
  echo "fresh_check: $* ..."
  if ! "$@" >>"$log" 2>&1; then
    tail -40 "$log"
    echo "fresh_check: FAILED: $* (log: $log)" >&2
    CALM_FRESH_KEEP=1; trap - EXIT
    exit 1
  fi
  echo "fresh_check: $* passed in $(( $(date +%s) - start )) s"
}
step bash scripts/demo.sh
[ -s output/penguins_synthetic.csv ] && [ -s output/quality_report.html ] \
  || { echo "fresh_check: the demo wrote no synthetic CSV or report" >&2; exit 1; }
step bash scripts/test.sh
grep -E "tests passed|passed in" "$log" | tail -5
