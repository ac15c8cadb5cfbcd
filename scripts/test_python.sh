#!/usr/bin/env bash
# Builds and installs the Python package calm_data_generator (engine + pybind11 extension, through
# scikit-build-core, CMake and Ninja) and runs its pytest suite (tests/python).
# Needs the apt packages of scripts/setup.sh (run it first on a fresh machine) plus pip; installs
# the pip packages it needs when they are missing. CALM_JOBS sets the build parallelism (default 2).
# Usage: bash scripts/test_python.sh [pytest args...]
#   default: `pip install .` (what users do), CMake build folder kept in build-pip/.
#   CALM_PY_BUILD_DIR=build: faster in-place build instead: turns CALM_BUILD_PYTHON on in that
#   existing CMake build folder (the engine library there is reused, only the extension is
#   compiled) and tests the package from <dir>/python without installing it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"

# Installs from PyPI only what is missing, so a machine that has them makes no network call.
need=()
for spec in "numpy:numpy" "pandas:pandas" "pytest:pytest" "scikit_build_core:scikit-build-core>=0.10" \
            "pybind11:pybind11>=2.12"; do
  "$PY" -c "import ${spec%%:*}" 2>/dev/null || need+=("${spec#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "test_python: installing ${need[*]}"
  "$PY" -m pip install -q --disable-pip-version-check "${need[@]}"
fi

start=$(date +%s)
if [ -n "${CALM_PY_BUILD_DIR:-}" ]; then
  cmake -S . -B "$CALM_PY_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALM_BUILD_PYTHON=ON \
    -DPython_EXECUTABLE="$("$PY" -c "import sys; print(sys.executable)")" >/dev/null
  ninja -C "$CALM_PY_BUILD_DIR" -j"${CALM_JOBS:-2}" _calm calm_py_package >/dev/null
  export PYTHONPATH="$(cd "$CALM_PY_BUILD_DIR/python" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
  echo "test_python: extension built in $CALM_PY_BUILD_DIR in $(( $(date +%s) - start )) s"
else
  # No build isolation: the build requirements are installed above, and the CMake build folder
  # (build-pip/, see pyproject.toml) is kept, so a second run only rebuilds what changed.
  CMAKE_BUILD_PARALLEL_LEVEL="${CALM_JOBS:-2}" \
    "$PY" -m pip install . -q --no-build-isolation --no-deps --disable-pip-version-check \
    --root-user-action=ignore
  echo "test_python: package built and installed in $(( $(date +%s) - start )) s"
fi

"$PY" -m pytest tests/python -q -p no:cacheprovider "$@"

# The same suite under the declared dependency range (pyproject.toml): in throwaway venvs of the
# same interpreter, once with the oldest supported numpy/pandas and once with the newest pip
# resolves (with pyarrow, so pandas 3's str dtype is Arrow-backed there), over the package built
# above. CALM_PY_MATRIX=0 skips it.
[ "${CALM_PY_MATRIX:-1}" = 0 ] && exit 0
pkg_parent=$("$PY" -c "import calm_data_generator, os; print(os.path.dirname(os.path.dirname(calm_data_generator.__file__)))")
matrix=$(mktemp -d)
trap 'rm -rf "$matrix"' EXIT
cp -r "$pkg_parent/calm_data_generator" "$matrix/"  # the package alone, not the site-packages beside it
lower() { grep -oP "\"$1>=\K[0-9.]+" pyproject.toml; }
upper() { grep -oP "\"$1>=[0-9.]+,<\K[0-9.]+" pyproject.toml; }
oldest=("numpy==$(lower numpy)" "pandas==$(lower pandas)")
newest=("numpy<$(upper numpy)" "pandas<$(upper pandas)" pyarrow)
for env in oldest newest; do
  declare -n specs="$env"
  "$PY" -m venv "$matrix/$env"
  "$matrix/$env/bin/python" -m pip install -q --disable-pip-version-check --upgrade pytest "${specs[@]}"
  versions=$("$matrix/$env/bin/python" -c "import numpy, pandas; print(f'numpy {numpy.__version__}, pandas {pandas.__version__}')")
  echo "test_python: the suite under the $env supported versions ($versions)"
  PYTHONPATH="$matrix" "$matrix/$env/bin/python" -m pytest tests/python -q -p no:cacheprovider "$@"
done

# AnnData in and out with the real anndata package, in the anndata venv (bench/peer_env.sh).
echo "test_python: AnnData input and output with the anndata package"
PYTHONPATH="$matrix" CALM_CLI="${CALM_CLI:-$PWD/${CALM_PY_BUILD_DIR:-build}/calm}" \
  bash bench/peer_env.sh anndata python -m pytest tests/python_anndata -q -p no:cacheprovider
# calm_data_generator.distributed on a dask LocalCluster (2 worker processes), in the dask venv
# made by bench/peer_env.sh (dask never enters the interpreters above).
echo "test_python: calm_data_generator.distributed on a dask LocalCluster"
PYTHONPATH="$matrix" bash bench/peer_env.sh dask python -m pytest \
  tests/python_distributed/test_dask.py -q -p no:cacheprovider
# calm_data_generator.spark on Spark local[2], in the spark venv (Java from scripts/apt-packages.txt).
echo "test_python: calm_data_generator.spark on Spark local[2]"
PYTHONPATH="$matrix" bash bench/peer_env.sh spark python -m pytest \
  tests/python_distributed/test_spark.py -q -p no:cacheprovider -W ignore::FutureWarning
