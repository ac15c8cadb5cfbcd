#!/usr/bin/env python3
"""Side by side: gretel-synthetics' PyTorch DGAN versus calm's `dgan` on one sequence table, at
equal epochs, batch size, sequence length, sample_len and network sizes (both at gretel's
defaults otherwise), in one run. Time per epoch: gretel's whole train_dataframe (its
preprocessing included) over the epochs, and calm's training loop as its closing log line
reports it ("s per epoch"). Both outputs (as many entities as the real table has) are scored with
`calm evaluate --sequence-key KEY --time-col TIME`. Usage, in the gretel peer venv:
  bash bench/peer_env.sh gretel python bench/peers/gretel_dgan.py DATA.csv KEY TIME EPOCHS \
      [build/calm [BATCH_SIZE]]
e.g. ... ../shared/datasets/pbc_longitudinal.csv id day 100
gretel's DGAN (0.22: with a generation flag for varying lengths) generates no time stamps of its
own: the time column is one more continuous feature there; context columns (those constant within
every entity, as calm detects them) are its attributes."""
import json
import math
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import pandas as pd

data, key, time_col, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
calm = sys.argv[5] if len(sys.argv) > 5 else "build/calm"
batch = int(sys.argv[6]) if len(sys.argv) > 6 else 1024
tmp = pathlib.Path(tempfile.mkdtemp())
real = pd.read_csv(data)
entities = real[key].nunique()
longest = int(real.groupby(key).size().max())
sample_len = math.ceil(longest / 32)  # calm's default sample_len for this seq_len
seq_len = math.ceil(longest / sample_len) * sample_len


def score(path):
    out = subprocess.check_output([calm, "evaluate", data, str(path), "--sequence-key", key,
                                   "--time-col", time_col, "--json"])
    s = json.loads(out)["sequence"]
    return (f"rows {s['row_quality']:.3f}  lengths {s['length_similarity']:.3f}  "
            f"AUC {s['discriminative_auc']:.3f}")


import torch  # noqa: E402
from gretel_synthetics.timeseries_dgan.config import DGANConfig, DfStyle  # noqa: E402
from gretel_synthetics.timeseries_dgan.dgan import DGAN  # noqa: E402

torch.set_num_threads(2)
others = [c for c in real.columns if c != key]
context = [c for c in others if c != time_col
           and (real.groupby(key)[c].nunique(dropna=False) <= 1).all()]
features = [c for c in others if c not in context]
# Strings are categories. pandas 3 reads them as its string dtype, which gretel (checking for
# object columns) would take for numbers.
discrete = [c for c in context + features if pd.api.types.is_string_dtype(real[c])]
for c in discrete:
    real[c] = real[c].astype(object)
# gretel's DGAN refuses tables where over half the entities have long runs of missing numbers
# (pbc's chol: 42% missing): its input has them filled within each entity (forward, backward),
# then by the column's median. Scores compare with the real table as it is.
train = real.copy()
numeric = [c for c in context + features if c not in discrete]
train[numeric] = train.groupby(key)[numeric].transform(lambda s: s.ffill().bfill())
train[numeric] = train[numeric].fillna(train[numeric].median())
model = DGAN(DGANConfig(max_sequence_len=seq_len, sample_len=sample_len, batch_size=batch,
                        epochs=epochs, cuda=False))
t0 = time.perf_counter()
model.train_dataframe(train[[key] + context + features], attribute_columns=context,
                      feature_columns=features, example_id_column=key,
                      discrete_columns=discrete, df_style=DfStyle.LONG)
t_fit = time.perf_counter() - t0
t0 = time.perf_counter()
out = model.generate_dataframe(entities)
t_sample = time.perf_counter() - t0
out[real.columns].to_csv(tmp / "gretel.csv", index=False)
print(f"gretel DGAN  {epochs} epochs, batch {batch}, seq_len {seq_len}, sample_len {sample_len}: "
      f"fit {t_fit:.1f} s ({t_fit / epochs:.4f} s per epoch)  sample {t_sample:.1f} s  "
      f"{score(tmp / 'gretel.csv')}")

t0 = time.perf_counter()
log = subprocess.run([calm, "generate", data, "-n", str(entities), "-m", "dgan", "--param",
                      f"sequence_key={key}", "--param", f"time_col={time_col}", "--param",
                      f"epochs={epochs}", "--param", f"batch_size={batch}", "--param",
                      f"seq_len={seq_len}", "--param", f"sample_len={sample_len}", "--seed", "1",
                      "--no-report", "-o", str(tmp / "calm.csv")],
                     capture_output=True, text=True, check=True).stderr
t_run = time.perf_counter() - t0
per_epoch = re.search(r"dgan: trained \d+ epochs in ([\d.e+-]+) s \(([\d.e+-]+) s per epoch\)", log)
fit = f"{float(per_epoch.group(1)):.1f} s ({float(per_epoch.group(2)):.4f} s per epoch)" \
    if per_epoch else "?"
print(f"calm dgan    {epochs} epochs, same sizes: fit {fit}, whole run {t_run:.1f} s  "
      f"{score(tmp / 'calm.csv')}")
