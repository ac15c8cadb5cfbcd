#!/usr/bin/env bash
# The main job on the bundled example: set up, build, then learn examples/penguins.csv and write
# 1000 synthetic rows plus reports into ./output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
./build/calm generate examples/penguins.csv -n 1000 -m cart --target species \
  --seed 42 -o output --name penguins
echo "demo: synthetic data and reports are in ./output/"
ls -l output/
