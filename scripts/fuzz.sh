#!/usr/bin/env bash
# Builds and runs one libFuzzer target (fuzz/; issue 21). Usage:
#   bash scripts/fuzz.sh TARGET SECONDS [libFuzzer options]
# TARGET: fuzz_csv, fuzz_configs, fuzz_formula or fuzz_model. The targets live in build-asan
# (ASan + UBSan + coverage; configured by scripts/sanitize.sh, which this script runs for the
# configuration when the folder is missing). The run starts from the seed corpus
# fuzz/corpus/TARGET and keeps what it finds in build-asan/fuzz-corpus/TARGET (the seeds are not
# modified); crash inputs land in build-asan/fuzz-artifacts/. Any crash, sanitizer report, leak,
# timeout (> 10 s for one input) or input that takes > 2 GB fails the run (or, with
# -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1, is kept and the run goes on). The
# last line gives the executions and corpus size.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${1:?usage: $0 TARGET SECONDS [libFuzzer options]}"
SECONDS_TO_RUN="${2:?usage: $0 TARGET SECONDS [libFuzzer options]}"
shift 2
BUILD_DIR=build-asan
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # configures build-asan (with -DCALM_BUILD_FUZZ=ON) and builds the test suite there
  bash scripts/sanitize.sh asan -N >/dev/null
fi
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
ninja -C "$BUILD_DIR" -j"${CALM_JOBS:-2}" "fuzz/$TARGET" >/dev/null
SEEDS="fuzz/corpus/$TARGET"
WORK="$BUILD_DIR/fuzz-corpus/$TARGET"
ARTIFACTS="$BUILD_DIR/fuzz-artifacts/"
mkdir -p "$WORK" "$ARTIFACTS"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
export OMP_NUM_THREADS=1
log="$BUILD_DIR/fuzz-$TARGET.log"
status=0
"$BUILD_DIR/fuzz/$TARGET" "$WORK" "$SEEDS" -max_total_time="$SECONDS_TO_RUN" -timeout=10 \
  -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS$TARGET-" "$@" 2>"$log" || status=$?
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
# -fork=N (keep going after a crash with -ignore_crashes=1) reports "#EXECS: cov: ..." lines only.
[ -z "$execs" ] && execs=$(grep -o '^#[0-9]*: cov' "$log" | tail -1 | grep -o '[0-9]*' || true)
echo "fuzz $TARGET: ${SECONDS_TO_RUN} s, ${execs:-?} executions, corpus $(ls "$WORK" | wc -l) files," \
  "exit $status (log: $log)"
exit $status
