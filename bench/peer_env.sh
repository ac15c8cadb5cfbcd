#!/usr/bin/env bash
# Runs a command in the virtual environment of one peer, made on first use under bench/.venvs/NAME
# from the same python3, so peers (SDMetrics, SDV, imbalanced-learn, ...) never enter the
# interpreter the tests use. Usage: bash bench/peer_env.sh NAME COMMAND [ARGS...]
#   e.g. bash bench/peer_env.sh sdmetrics python bench/peers/sdmetrics_quality.py real.csv synth.csv
# Inside COMMAND, `python` is the venv's interpreter. NAME is one of the keys below; CALM_PEER_FRESH=1
# remakes the venv (newest releases).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
declare -A PEERS=(
  [sdmetrics]="sdmetrics pandas"
  [sdv]="sdv pandas"
  [imblearn]="imbalanced-learn threadpoolctl pandas"
  # smartnoise-synth 1.0.8 imports `packaging` (snsynth/pytorch/nn/ctgan) without declaring it.
  # Resolved and working on Python 3.11 (2026-12-07): torch 2.15.0, opacus 0.14.0, mbi 1.1.0,
  # jax 0.10.2, numpy 2.4.6, pandas 2.3.3; DataSynthesizer 0.1.13 with numpy 2.4.6, pandas 3.1.1.
  # No pins were needed; pin these if a later release breaks an install.
  [smartnoise]="smartnoise-synth==1.0.8 pandas packaging"
  [datasynthesizer]="DataSynthesizer==0.1.13 pandas"
  # calm_data_generator.distributed's tests and benchmark. dask and distributed pin each other's
  # version; a mirror may hold a newer dask than distributed, so both are pinned to one release.
  [dask]="dask[dataframe]==2026.8.0 distributed==2026.8.0 pandas pyarrow pytest"
  # calm_data_generator's AnnData input and output (tests/python_anndata), with the real package.
  [anndata]="anndata pandas pytest"
  # calm_data_generator.spark's tests (Java: Debian's openjdk-17-jre-headless).
  [spark]="pyspark pandas pyarrow pytest"
  # scvi-tools' SCVI against calm's scvi (bench/peers/scvi_tools.py).
  [scvi]="scvi-tools anndata pandas"
  # gretel-synthetics' PyTorch DGAN (timeseries_dgan), side by side with calm's `dgan`. Its
  # release pins sentencepiece 0.1.97 (for its text models), which has no wheel for Python 3.11 and
  # builds only by cloning from GitHub; DGAN needs none of it, so gretel-synthetics itself goes in
  # without dependencies (NO_DEPS) after what timeseries_dgan imports.
  [gretel]="gretel-synthetics pandas"
)
name="${1:-}"
if [ -z "$name" ] || [ -z "${PEERS[$name]:-}" ] || [ $# -lt 2 ]; then
  echo "usage: bash bench/peer_env.sh NAME COMMAND [ARGS...]; NAME is one of: ${!PEERS[*]}" >&2
  exit 2
fi
shift
venv="$here/.venvs/$name"
[ "${CALM_PEER_FRESH:-0}" = 1 ] && rm -rf "$venv"
# Peers that need torch get the CPU-only wheel from the PyTorch index when that index answers
# (PyPI's Linux torch pulls about 3 GB of CUDA wheels); otherwise plain PyPI.
declare -A NEEDS_TORCH=([smartnoise]=1 [sdv]=1 [scvi]=1 [gretel]=1)
TORCH_CPU_INDEX="${CALM_TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}"
if [ ! -x "$venv/bin/python" ]; then
  echo "peer_env: making $venv (${PEERS[$name]})" >&2
  python3 -m venv "$venv"
  if [ -n "${NEEDS_TORCH[$name]:-}" ]; then
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '/torch/', timeout=10)" \
        "$TORCH_CPU_INDEX" 2>/dev/null; then
      echo "peer_env: torch from $TORCH_CPU_INDEX (CPU wheel)" >&2
      "$venv/bin/python" -m pip install -q --disable-pip-version-check torch --index-url "$TORCH_CPU_INDEX"
    else
      echo "peer_env: $TORCH_CPU_INDEX unreachable, torch from PyPI" >&2
    fi
  fi
  declare -A NO_DEPS=([gretel]="torch pandas scipy category-encoders")
  if [ -n "${NO_DEPS[$name]:-}" ]; then
    # shellcheck disable=SC2086
    "$venv/bin/python" -m pip install -q --disable-pip-version-check ${NO_DEPS[$name]} &&
      "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps ${PEERS[$name]} || {
      rm -rf "$venv"; echo "peer_env: install failed for $name" >&2; exit 1; }
  else
    # shellcheck disable=SC2086
    "$venv/bin/python" -m pip install -q --disable-pip-version-check ${PEERS[$name]} || {
      rm -rf "$venv"; echo "peer_env: install failed for $name" >&2; exit 1; }
  fi
fi
export PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv"
exec "$@"
