#!/usr/bin/env python3
"""One DP peer run: smartnoise-synth 1.0.8 (mst, aim, mwem, patectgan, dpctgan) or DataSynthesizer
0.1.13 (PrivBayes, correlated attribute mode) on a CSV, writing the synthetic CSV and printing
{"seconds": fit + sample wall time} as JSON. Run it in the peer's venv, e.g.
  bash bench/peer_env.sh smartnoise python bench/peers/dp_peer.py smartnoise mst 1.0 DATA.csv OUT.csv N SEED
  bash bench/peer_env.sh datasynthesizer python bench/peers/dp_peer.py datasynthesizer privbayes 1.0 ...
Columns with at most 20 distinct values (or non-numeric) are categorical, the rest continuous,
for both peers (DataSynthesizer's own category_threshold default is 20)."""
import json
import os
import random
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

t0 = time.perf_counter()
if peer == "smartnoise":
    import torch
    torch.manual_seed(seed)
    from snsynth import Synthesizer
    synth = Synthesizer.create(synth_type, epsilon=eps, verbose=False)
    frame = real.copy()
    for c in categorical:
        frame[c] = frame[c].astype(str)
    synth.fit(frame, categorical_columns=categorical, continuous_columns=continuous,
              preprocessor_eps=0.1 * eps, nullable=bool(real.isna().any().any()))
    sample = synth.sample(n)
elif peer == "datasynthesizer":
    from DataSynthesizer.DataDescriber import DataDescriber
    from DataSynthesizer.DataGenerator import DataGenerator
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
seconds = time.perf_counter() - t0
sample.to_csv(out, index=False)
print(json.dumps({"seconds": seconds}))
