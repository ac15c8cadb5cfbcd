#!/usr/bin/env bash
# Device check for the deep methods with device="cuda" (run on a machine with an NVIDIA GPU and a
# CUDA PyTorch, e.g. through the project's device tool). Builds calm against PyTorch's bundled
# libtorch with the headers/libraries carried in .devkit/ (bench/make_devkit.sh), then runs
# ctgan, tvae, copulagan and diffusion on telco_churn on cpu and cuda and reports s/epoch and quality.
# Usage: bash bench/gpu_check.sh DATASETS_DIR OUT_DIR [methods...]
set -uo pipefail
DATA=${1:?datasets dir}; OUT=${2:?out dir}; shift 2
METHODS=${*:-ctgan tvae copulagan diffusion}
DK=$(pwd)/.devkit
export PATH=$DK/bin:$PATH LD_LIBRARY_PATH=$DK/lib:${LD_LIBRARY_PATH:-}
TORCH_DIR=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')/Torch
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALM_BUILD_TESTS=OFF \
  -DCALM_BUILD_BENCH=OFF -DCMAKE_PREFIX_PATH="$DK" -DCMAKE_INCLUDE_PATH="$DK/include" \
  -DCMAKE_LIBRARY_PATH="$DK/lib" -DPKG_CONFIG_EXECUTABLE="$DK/bin/pkg-config" \
  -DCMAKE_CXX_FLAGS="-I$DK/include" -DTorch_DIR="$TORCH_DIR" -DCALM_WITH_TORCH=ON \
  > "$OUT/cmake.log" 2>&1 || { tail -40 "$OUT/cmake.log"; exit 1; }
time ninja -C build-gpu -j16 calm_cli > "$OUT/build.log" 2>&1 || { grep -m20 -A5 "error" "$OUT/build.log"; exit 1; }
CSV=$DATA/telco_churn.csv
for m in $METHODS; do
  for dev in cuda cpu; do
    o=$OUT/$m-$dev
    TIMEFORMAT="$m $dev wall %R s"
    time build-gpu/calm generate "$CSV" -n 7043 -m "$m" \
      --seed 1 --threads 2 --param epochs=20 --param device=$dev --no-report --save-model "$o.calm" -o "$o" > "$o.log" 2>&1
    echo "== $m $dev rc=$?"; grep -E "trained|error" "$o.log"
    # A model trained on this device samples again from its file, on a machine with or without it.
    build-gpu/calm sample "$o.calm" -n 500 --seed 2 --no-report -q -o "$o-again" &&
      echo "   sampled again from $o.calm: $(($(wc -l < "$o-again/RealGenerator_synthetic.csv") - 1)) rows"
    [ -f "$o/RealGenerator_synthetic.csv" ] && build-gpu/calm evaluate "$CSV" "$o/RealGenerator_synthetic.csv" 2>&1 | head -3
  done
done
