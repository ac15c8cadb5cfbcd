#!/usr/bin/env bash
# Set up, build and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
bash scripts/check_build_deps.sh build
ctest --test-dir build --output-on-failure -j2
# The HTML reports rendered in a real browser (Debian's chromium, installed here if missing).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || echo "test: chromium could not be installed; the browser render check will skip"
fi
report_dir=$(mktemp -d)
./build/calm generate examples/penguins.csv -n 500 -m cart --target species --seed 1 -q \
  --adversarial-validation -o "$report_dir" >/dev/null
bash tests/report/render_check.sh "$report_dir"
rm -rf "$report_dir"
# The Python package, built in place on the same build folder (the engine is not compiled twice).
CALM_PY_BUILD_DIR=build bash scripts/test_python.sh
