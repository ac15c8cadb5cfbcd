#!/usr/bin/env python3
"""SDV's CTGANSynthesizer (or CopulaGANSynthesizer) on a CSV with its defaults, scored with calm's
evaluator (`calm evaluate`, SDMetrics-equivalent), so its figure stands beside calm's ctgan /
copulagan on the same table (issue 18's small tables). Run it in its peer venv:
  bash bench/peer_env.sh sdv python bench/peers/sdv_ctgan.py DATA.csv [ctgan|copulagan] [SEED]
      [build/calm]
Prints one line: the method, the table, the seed, fit seconds and the overall quality."""
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import sdv
import torch

data = sys.argv[1]
method = sys.argv[2] if len(sys.argv) > 2 else "ctgan"
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
calm = sys.argv[4] if len(sys.argv) > 4 else "build/calm"
np.random.seed(seed)
torch.manual_seed(seed)
torch.set_num_threads(1)  # as calm's ctgan (one thread; see models/deep/ctgan.cpp)

from sdv.metadata import Metadata  # noqa: E402
from sdv.single_table import CopulaGANSynthesizer, CTGANSynthesizer  # noqa: E402

real = pd.read_csv(data)
meta = Metadata.detect_from_dataframes({"t": real})
cls = CTGANSynthesizer if method == "ctgan" else CopulaGANSynthesizer
syn = cls(meta)
t0 = time.perf_counter()
syn.fit({"t": real} if sdv.__version__ >= "2" else real)
t_fit = time.perf_counter() - t0
out = syn.sample(len(real))
if isinstance(out, dict):
    out = next(iter(out.values()))
path = pathlib.Path(tempfile.mkdtemp()) / "sdv.csv"
out.to_csv(path, index=False)
quality = json.loads(subprocess.check_output([calm, "evaluate", data, str(path), "--json"]))
print(f"sdv {method} {pathlib.Path(data).stem} seed {seed}: fit {t_fit:.1f} s, "
      f"quality {quality['overall']:.4f} {quality['properties']}")
