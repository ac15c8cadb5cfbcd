#!/usr/bin/env bash
# Times the default report, part by part, on real/synthetic pairs of 50k, 200k and 1M rows x 20
# columns (bench/make_eval_pair.py: 14 numeric with some NaN, 6 categorical with 3..100 levels),
# and SDMetrics' QualityReport on the same pairs, in one run:
#   bash bench/bench_report.sh [build/calm] [work-dir]     (pairs are made once in work-dir)
# `calm evaluate -o` writes every default report file (scores, privacy, plots, HTML, PCA); the part
# times are its --log-level debug lines. SDMetrics runs in its own venv (bench/peer_env.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
calm="$(realpath "${1:-$here/../build/calm}")"
work="${2:-/tmp/calm-bench-report}"
mkdir -p "$work"
for n in 50000 200000 1000000; do
  dir="$work/p$n"
  if [ ! -s "$dir/synth.csv" ]; then
    mkdir -p "$dir"
    (cd "$dir" && python3 "$here/make_eval_pair.py" "$n")
  fi
  echo "== $n rows x 20 columns"
  start=$(date +%s.%N)
  "$calm" evaluate "$dir/real.csv" "$dir/synth.csv" -o "$dir/report" --log-level debug \
    2>&1 >/dev/null | grep -E "report part|reports:" | sed 's/^calm [A-Z]*: /  calm /'
  echo "  calm evaluate -o, whole process: $(echo "$(date +%s.%N) - $start" | bc) s"
  start=$(date +%s.%N)
  "$calm" evaluate "$dir/real.csv" "$dir/synth.csv" >/dev/null
  echo "  calm evaluate (scores only), whole process: $(echo "$(date +%s.%N) - $start" | bc) s"
  bash "$here/peer_env.sh" sdmetrics python "$here/peers/sdmetrics_quality.py" \
    "$dir/real.csv" "$dir/synth.csv" "$calm" | sed 's/^/  /'
done
