#!/usr/bin/env bash
# Writes the synthetic outputs of every available method (penguins and a diamonds slice), every
# example config and the injectors into OUT, then prints one checksum per file. Refactors that must
# not change output compare the listing before and after:
#   bash scripts/compare_outputs.sh build/calm /tmp/before > before.txt   (on the old commit)
#   bash scripts/compare_outputs.sh build/calm /tmp/after  > after.txt && diff before.txt after.txt
# Deep methods run with few epochs (the comparison is about identity, not quality). Every file
# written is compared: datasets, model files, report JSON, HTML and PNG.
set -euo pipefail
CALM="$1"
OUT="$2"
cd "$(dirname "$0")/.."
SHARED="${CALM_SHARED:-../shared}"
rm -rf "$OUT"
mkdir -p "$OUT"
head -n 3001 "$SHARED/datasets/diamonds.csv" > "$OUT/diamonds3000.csv"
methods=$("$CALM" methods --json | python3 -c \
  'import json,sys; print(" ".join(m["name"] for m in json.load(sys.stdin) if m["available"]))')
quick() {  # small training budgets for the slow families, same in every run
  case "$1" in
    ctgan | tvae | copulagan) echo "--param epochs=3" ;;
    diffusion) echo "--param epochs=3" ;;
    *) echo "" ;;
  esac
}
run() {  # name, calm generate arguments...
  local name="$1"
  shift
  "$CALM" generate "$@" --seed 11 --threads 2 -q -o "$OUT/$name" --name out >/dev/null
}
for m in $methods; do
  # shellcheck disable=SC2046
  run "penguins-$m" examples/penguins.csv -n 400 -m "$m" --target species $(quick "$m") \
    --save-model "$OUT/penguins-$m.calm"
  "$CALM" sample "$OUT/penguins-$m.calm" -n 300 --seed 5 -q -o "$OUT/sample-$m" --name out \
    --no-report >/dev/null
  # shellcheck disable=SC2046
  run "diamonds-$m" "$OUT/diamonds3000.csv" -n 600 -m "$m" --target cut $(quick "$m") \
    --minimal-report
done
for config in examples/run_*.json; do
  run "example-$(basename "$config" .json)" examples/penguins.csv --config "$config"
done
run blocks examples/penguins.csv -n 300 -m cart --block-column island
run chunks examples/penguins.csv -n 300 -m gaussian_copula --chunk-size 100
"$CALM" drift examples/penguins.csv --config examples/drift_only.json --seed 3 \
  -o "$OUT/drift.csv" >/dev/null
rm -f "$OUT/diamonds3000.csv"
cd "$OUT"
find . -type f | sort | xargs sha256sum
