#!/usr/bin/env python3
"""One DP peer run: smartnoise-synth 1.0.8 (mst, aim, mwem, patectgan, dpctgan) or DataSynthesizer
0.1.13 (PrivBayes, correlated attribute mode) on a CSV, writing the synthetic CSV and printing
{"seconds": fit + sample wall time, "cpu_seconds": the same in CPU time (user + system, this process
and its reaped children: DataSynthesizer's worker pool)} as JSON. Run it in the peer's venv, e.g.
  bash bench/peer_env.sh smartnoise python bench/peers/dp_peer.py smartnoise mst 1.0 DATA.csv OUT.csv N SEED
  bash bench/peer_env.sh datasynthesizer python bench/peers/dp_peer.py datasynthesizer privbayes 1.0 ...
Columns with at most 20 distinct values (or non-numeric) are categorical, the rest continuous,
for both peers (DataSynthesizer's own category_threshold default is 20). smartnoise gets categorical
columns as strings (missing as the string "nan"); its output is mapped back: "nan" to missing,
columns that were numeric in the input back to numbers, so the scorer sees the input's types."""
import json
import os
import random
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd

peer, synth_type, eps, data, out, n, seed = sys.argv[1:8]
eps, n, seed = float(eps), int(n), int(seed)
random.seed(seed)
np.random.seed(seed)
real = pd.read_csv(data)
categorical = [c for c in real.columns
               if real[c].nunique() <= 20 or not pd.api.types.is_numeric_dtype(real[c])]
continuous = [c for c in real.columns if c not in categorical]


def cpu_now():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


# imports (torch, jax) before the clock starts: the timing is the peer's fit + sample only
if peer == "smartnoise":
    import torch
    from snsynth import Synthesizer
    torch.manual_seed(seed)
elif peer == "datasynthesizer":
    from DataSynthesizer.DataDescriber import DataDescriber
    from DataSynthesizer.DataGenerator import DataGenerator

t0, c0 = time.perf_counter(), cpu_now()
if peer == "smartnoise":
    # mwem's default is one cube of all columns (56 PiB on telco_churn); calm's default is cubes of
    # at most 5 columns (its split_factor), and smartnoise's split_factor means the same
    extra = {"mwem": {"split_factor": int(os.environ.get("MWEM_SPLIT_FACTOR", "5"))}}
    synth = Synthesizer.create(synth_type, epsilon=eps, verbose=False,
                               **extra.get(synth_type, {}))
    frame = real.copy()
    for c in categorical:
        frame[c] = frame[c].astype(str)
    synth.fit(frame, categorical_columns=categorical, continuous_columns=continuous,
              preprocessor_eps=0.1 * eps, nullable=bool(real.isna().any().any()))
    sample = synth.sample(n)
    if not isinstance(sample, pd.DataFrame):
        sample = pd.DataFrame(sample, columns=real.columns)
elif peer == "datasynthesizer":
    tmp = tempfile.mkdtemp()
    desc = os.path.join(tmp, "description.json")
    describer = DataDescriber(category_threshold=20)
    describer.describe_dataset_in_correlated_attribute_mode(
        dataset_file=data, epsilon=eps, k=int(os.environ.get("DS_K", "2")),
        attribute_to_is_categorical={c: True for c in categorical}, seed=seed)
    describer.save_dataset_description_to_file(desc)
    gen = DataGenerator()
    gen.generate_dataset_in_correlated_attribute_mode(n, desc, seed=seed)
    sample = gen.synthetic_dataset
else:
    sys.exit(f"unknown peer {peer}")
seconds, cpu = time.perf_counter() - t0, cpu_now() - c0
if peer == "smartnoise":
    for c in categorical:
        col = sample[c].astype(object).where(sample[c].astype(str) != "nan")
        if pd.api.types.is_numeric_dtype(real[c]):
            col = pd.to_numeric(col, errors="coerce")
            if real[c].dropna().eq(real[c].dropna().round()).all():
                col = col.astype("Int64")
        sample[c] = col
sample.to_csv(out, index=False)
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu}))
