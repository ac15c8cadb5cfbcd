#!/usr/bin/env bash
# Set up, build and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
ctest --test-dir build --output-on-failure -j2
# The Python package, built in place on the same build folder (the engine is not compiled twice).
CALM_PY_BUILD_DIR=build bash scripts/test_python.sh
