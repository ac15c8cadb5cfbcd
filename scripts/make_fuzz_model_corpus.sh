#!/usr/bin/env bash
# Rewrites fuzz/corpus/fuzz_model/ (the model-file fuzz target's seeds, issue 21): one small
# model file per method that the sanitizer build (no libtorch) can load, fitted on the first 36
# rows of examples/penguins.csv. Run it after a change of the model file format, so that the
# seeds pass the header and the fuzzer starts inside the method payloads. Usage:
#   bash scripts/make_fuzz_model_corpus.sh [build/calm]
set -euo pipefail
cd "$(dirname "$0")/.."
CALM="${1:-build/calm}"
OUT=fuzz/corpus/fuzz_model
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 37 examples/penguins.csv > "$work/small.csv"
# A tiny sequence table for copula_temporal: three entities with four visits each.
printf 'id,t,v,g\n' > "$work/seq.csv"
for e in 1 2 3; do for t in 0 1 2 3; do printf '%s,%s,%s.5,%s\n' "$e" "$t" "$((e * t))" "abc" >> "$work/seq.csv"; done; done
# A 200-row table for the DP methods, with public bounds and categories given.
printf 'a,b,x\n' > "$work/dp.csv"
for i in $(seq 1 200); do printf '%s,%s,%s\n' "$(( i % 3 ))x" "$(( i % 2 ))y" "$(( (i * 37) % 100 )).$(( i % 7 ))" >> "$work/dp.csv"; done
DP_PUBLIC=(--param 'bounds={"x": [0, 100]}' --param 'domain={"a": ["0x", "1x", "2x"], "b": ["0y", "1y"]}'
  --param epsilon=10)
fit() {  # NAME DATA ARGS...
  local name=$1 data=$2
  shift 2
  "$CALM" generate "$data" -n 5 --seed 1 -q --no-report -o "$work/$name.csv" \
    --save-model "$work/$name.calm" "$@" >/dev/null
  cp "$work/$name.calm" "$OUT/$name.calm"
}
rm -f "$OUT"/*.calm
fit cart "$work/small.csv" -m cart
fit rf "$work/small.csv" -m rf --param n_estimators=3
fit lgbm "$work/small.csv" -m lgbm --param n_estimators=5
fit gaussian_copula "$work/small.csv" -m gaussian_copula
fit gmm "$work/small.csv" -m gmm --param n_components=2
fit resample "$work/small.csv" -m resample
fit smote "$work/small.csv" -m smote --target sex
fit adasyn "$work/small.csv" -m adasyn --target sex
fit datasynth "$work/dp.csv" -m datasynth "${DP_PUBLIC[@]}"
fit dp_mst "$work/dp.csv" -m dp --param synth_type=mst "${DP_PUBLIC[@]}"
fit dp_aim "$work/dp.csv" -m dp --param synth_type=aim "${DP_PUBLIC[@]}"
fit dp_mwem "$work/dp.csv" -m dp --param synth_type=mwem "${DP_PUBLIC[@]}"
fit copula_temporal "$work/seq.csv" -m copula_temporal --param sequence_key=id --param time_col=t
ls "$OUT" | wc -l | xargs echo "make_fuzz_model_corpus: model files in $OUT:"
