#!/usr/bin/env bash
# Installs what calm needs on Debian 12 (idempotent: installs only what is missing), then configures
# and builds with Ninja. Usage: bash scripts/setup.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev librandom123-dev libfast-float-dev libcli11-dev nlohmann-json3-dev
  libnanoflann-dev libgtest-dev libopenblas0-pthread libxgboost-dev
  libcairo2-dev fonts-dejavu-core libtorch-dev
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
JOBS="${CALM_JOBS:-2}"
ninja -C "$BUILD_DIR" -j"$JOBS"
