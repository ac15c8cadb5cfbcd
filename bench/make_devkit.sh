#!/usr/bin/env bash
# Builds .devkit/ (git-ignored through .git/info/exclude) for bench/gpu_check.sh: the Debian
# headers, CMake configs and shared libraries calm needs that a bare CUDA/PyTorch image lacks
# (Eigen, nlohmann-json, Random123, fast_float, CLI11, nanoflann, XGBoost, cairo and its
# dependencies), a pkg-config stand-in that answers for the carried cairo, and telco_churn.csv.
# Run on the development machine after scripts/setup.sh; then carry `.devkit` to the device.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qx '/.devkit/' .git/info/exclude 2>/dev/null || echo '/.devkit/' >> .git/info/exclude
DK=.devkit
rm -rf "$DK" && mkdir -p "$DK/include" "$DK/lib" "$DK/share/cmake" "$DK/share/eigen3" "$DK/bin" "$DK/data"
cp -r /usr/include/{eigen3,nlohmann,Random123,fast_float,CLI,xgboost,cairo} /usr/include/nanoflann.hpp \
  "$DK/include/"
cp -r /usr/share/eigen3/cmake "$DK/share/eigen3/cmake"
cp -r /usr/share/cmake/CLI11 /usr/share/cmake/nlohmann_json "$DK/share/cmake/"
# Shared libraries of XGBoost and cairo, except the C/C++ runtime the image has.
for lib in /usr/lib/x86_64-linux-gnu/libxgboost.so.0 /usr/lib/x86_64-linux-gnu/libcairo.so.2; do
  cp -L "$lib" "$DK/lib/"
  ldd "$lib" | awk '/=>/ {print $3}' |
    grep -vE '/lib(c|m|pthread|gcc_s|stdc\+\+|gomp|dl|rt)\.so' | xargs -r cp -L -t "$DK/lib/"
done
ln -sf libxgboost.so.0 "$DK/lib/libxgboost.so"
ln -sf libcairo.so.2 "$DK/lib/libcairo.so"
cat > "$DK/bin/pkg-config" <<'PC'
#!/bin/sh
# Answers CMake's FindPkgConfig queries for the carried cairo only.
DK=$(cd "$(dirname "$0")/.." && pwd)
for a in "$@"; do
  case "$a" in
    --version) echo 1.8.1; exit 0;;
    --modversion) echo 1.16.0; exit 0;;
    --cflags-only-I|--cflags) echo "-I$DK/include/cairo"; exit 0;;
    --libs-only-L) echo "-L$DK/lib"; exit 0;;
    --libs-only-l) echo "-lcairo"; exit 0;;
    --libs) echo "-L$DK/lib -lcairo"; exit 0;;
    --variable=*) echo "$DK"; exit 0;;
    --cflags-only-other|--libs-only-other|--static) echo ""; exit 0;;
  esac
done
exit 0
PC
chmod +x "$DK/bin/pkg-config"
cp ../shared/datasets/telco_churn.csv "$DK/data/"
du -sh "$DK"
