#!/usr/bin/env python3
"""Side-by-side: SDV GaussianCopulaSynthesizer versus calm gaussian_copula on the same CSV.
Both outputs are scored with calm's evaluator (SDMetrics-equivalent, `calm evaluate`), so the
scores are comparable. Usage: python3 bench/peers/sdv_gaussian_copula.py DATA.csv [build/calm]
Run it in its peer venv (sdv never enters the test interpreter):
bash bench/peer_env.sh sdv python bench/peers/sdv_gaussian_copula.py ..."""
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import pandas as pd
import sdv

data = sys.argv[1]
calm = sys.argv[2] if len(sys.argv) > 2 else "build/calm"
tmp = pathlib.Path(tempfile.mkdtemp())
real = pd.read_csv(data)


def score(path):
    out = subprocess.check_output([calm, "evaluate", data, str(path), "--json"])
    return json.loads(out)["overall"]


# SDV
t0 = time.perf_counter()
from sdv.metadata import Metadata  # noqa: E402
from sdv.single_table import GaussianCopulaSynthesizer  # noqa: E402

t_import = time.perf_counter() - t0
meta = Metadata.detect_from_dataframes({"t": real})  # SDV >= 1.16 API
syn = GaussianCopulaSynthesizer(meta)
t0 = time.perf_counter()
syn.fit({"t": real} if sdv.__version__ >= "2" else real)
t_fit = time.perf_counter() - t0
t0 = time.perf_counter()
out = syn.sample(len(real))
if isinstance(out, dict):
    out = next(iter(out.values()))
t_sample = time.perf_counter() - t0
out.to_csv(tmp / "sdv.csv", index=False)
print(f"sdv   fit {t_fit:.2f} s  sample {t_sample:.2f} s  (import {t_import:.1f} s)  "
      f"quality {score(tmp / 'sdv.csv'):.4f}")

# calm, whole process
t0 = time.perf_counter()
subprocess.check_call([calm, "generate", data, "-n", str(len(real)), "-m", "gaussian_copula",
                       "--seed", "1", "-q", "--no-report", "-o", str(tmp), "--name", "calm"],
                      stdout=subprocess.DEVNULL)
t_calm = time.perf_counter() - t0
print(f"calm  whole process (read + fit + sample + write) {t_calm:.2f} s  "
      f"quality {score(tmp / 'calm_synthetic.csv'):.4f}")
