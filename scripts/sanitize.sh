#!/usr/bin/env bash
# The test suite under clang's sanitizers (issue 21). Usage:
#   bash scripts/sanitize.sh [asan|tsan] [extra ctest / gtest arguments]
# asan (default): ASan + UBSan (-fno-sanitize-recover=undefined: any UB fails the test), the whole
#   C++ suite (ctest) in build-asan. The same folder is configured with -DCALM_BUILD_FUZZ=ON, so it
#   also holds the libFuzzer targets (scripts/fuzz.sh) and the engine is compiled once for both.
# tsan: ThreadSanitizer in build-tsan, on the threaded paths only (the gtest filter below): OpenMP
#   through clang's libomp with the Archer tool (libarcher), which tells TSan about OpenMP's
#   barriers and tasks; without it every parallel loop reports false races.
# Both build without libtorch (-DCALM_WITH_TORCH=OFF): Debian's libtorch is not instrumented, and
# the deep methods' own tests run in the normal build. Installs clang 14 and its runtimes from
# Debian when missing. Prints the build and run times.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-asan}"
[ $# -gt 0 ] && shift

need=()
for p in clang-14 libclang-rt-14-dev libomp-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

LLVM=/usr/lib/llvm-14
case "$MODE" in
  asan)
    BUILD_DIR=build-asan
    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
    EXTRA_CMAKE=(-DCALM_BUILD_FUZZ=ON)
    ;;
  tsan)
    BUILD_DIR=build-tsan
    SAN="-fsanitize=thread"
    EXTRA_CMAKE=()
    ;;
  *)
    echo "usage: $0 [asan|tsan] [ctest/gtest arguments]" >&2
    exit 2
    ;;
esac

export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # -O1 and line tables only: readable stacks at a fraction of a debug build's compile time.
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=$LLVM/bin/clang -DCMAKE_CXX_COMPILER=$LLVM/bin/clang++ \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS="$SAN -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="$SAN" -DCMAKE_SHARED_LINKER_FLAGS="$SAN" \
    -DCALM_WITH_TORCH=OFF -DCALM_BUILD_BENCH=OFF -DCALM_TEST_TIMEOUT=3600 \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "${EXTRA_CMAKE[@]}" >/dev/null
fi
JOBS="${CALM_JOBS:-2}"
t0=$(date +%s)
ninja -C "$BUILD_DIR" -j"$JOBS" calm_cli calm_tests
t1=$(date +%s)

SUPP="$PWD/scripts/sanitizers"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$SUPP/ubsan.supp"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0"
export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp:print_suppressions=0"
status=0
if [ "$MODE" = asan ]; then
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS" "$@" || status=$?
else
  # Archer: libomp's OMPT tool that annotates OpenMP synchronisation for TSan.
  export OMP_TOOL_LIBRARIES=$LLVM/lib/libarcher.so ARCHER_OPTIONS="verbose=0"
  # libomp itself is not instrumented: its own lock set-up reads as races without this.
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$SUPP/tsan.supp"
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-4}"
  # The paths that run threads: blocks made concurrently and streamed in order (stream_output),
  # parallel sampling and fitting (OpenMP loops), the evaluator's metrics and privacy distances.
  FILTER="${CALM_TSAN_FILTER:-Streaming.*:RealBlockGenerator.*:*Thread*:PrivacySearch.*:Privacy.*:Quality.*:Membership.*:Adversarial.*:MlEfficacy.*:CrashSafety.InterruptingAStream*}"
  "$BUILD_DIR/tests/calm_tests" --gtest_filter="$FILTER" "$@" || status=$?
fi
t2=$(date +%s)
echo "sanitize $MODE: build $((t1 - t0)) s, run $((t2 - t1)) s, exit $status"
exit $status
