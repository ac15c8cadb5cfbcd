#!/usr/bin/env python3
"""Side by side: SDV's PARSynthesizer versus calm's `par` on one sequence table, at equal epochs,
in one run. Both outputs (as many entities as the real table has) are scored with
`calm evaluate --sequence-key KEY --time-col TIME` (row quality, length similarity, the forest's
AUC). Usage, in the sdv peer venv (sdv never enters the test interpreter):
  bash bench/peer_env.sh sdv python bench/peers/sdv_par.py DATA.csv KEY TIME EPOCHS [build/calm]
e.g. ... ../shared/datasets/pbc_longitudinal.csv id day 16"""
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import pandas as pd

data, key, time_col, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
calm = sys.argv[5] if len(sys.argv) > 5 else "build/calm"
tmp = pathlib.Path(tempfile.mkdtemp())
real = pd.read_csv(data)
entities = real[key].nunique()


def score(path):
    out = subprocess.check_output([calm, "evaluate", data, str(path), "--sequence-key", key,
                                   "--time-col", time_col, "--json"])
    s = json.loads(out)["sequence"]
    return (f"rows {s['row_quality']:.3f}  lengths {s['length_similarity']:.3f}  "
            f"AUC {s['discriminative_auc']:.3f}")


# SDV PAR (context columns: those constant within every entity, as calm detects them).
import torch  # noqa: E402
from sdv.metadata import Metadata  # noqa: E402
from sdv.sequential import PARSynthesizer  # noqa: E402

torch.set_num_threads(2)
meta = Metadata.detect_from_dataframes({"t": real})  # SDV >= 1.16 API
meta.update_column(column_name=key, sdtype="id")
meta.set_sequence_key(column_name=key)
meta.set_sequence_index(column_name=time_col)
others = [c for c in real.columns if c not in (key, time_col)]
context = [c for c in others if (real.groupby(key)[c].nunique(dropna=False) <= 1).all()]
syn = PARSynthesizer(meta, context_columns=context, epochs=epochs, verbose=False)
t0 = time.perf_counter()
syn.fit({"t": real})  # SDV 2 takes a dict of one table
t_fit = time.perf_counter() - t0
t0 = time.perf_counter()
if hasattr(syn, "sample_sequences"):  # SDV 2
    out = syn.sample_sequences(num_sequences=entities)
else:
    out = syn.sample(num_sequences=entities)
if isinstance(out, dict):
    out = next(iter(out.values()))
t_sample = time.perf_counter() - t0
out.to_csv(tmp / "sdv.csv", index=False)
print(f"sdv PAR  {epochs} epochs  fit {t_fit:.1f} s  sample {t_sample:.1f} s  "
      f"{score(tmp / 'sdv.csv')}")

# calm par, same epochs, same entity count.
t0 = time.perf_counter()
log = subprocess.run([calm, "generate", data, "-n", str(entities), "-m", "par", "--param",
                      f"sequence_key={key}", "--param", f"time_col={time_col}", "--param",
                      f"epochs={epochs}", "--seed", "1", "--no-report", "-o",
                      str(tmp / "calm.csv")], capture_output=True, text=True, check=True).stderr
t_run = time.perf_counter() - t0
fit = [line for line in log.splitlines() if "fitted 'par'" in line]
print(f"calm par {epochs} epochs  whole run {t_run:.1f} s ({fit[0].split(' in ')[-1] if fit else '?'}"
      f" fit)  {score(tmp / 'calm.csv')}")
