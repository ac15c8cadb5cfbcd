#!/usr/bin/env python3
"""Writes real.csv and synth.csv: a 1M-row x 20-column pair (14 numeric with some NaN, 6
categorical with 3..100 levels), deterministic, for the evaluator benchmark:
    python3 bench/make_eval_pair.py 1000000 && /usr/bin/time -v build/calm evaluate real.csv synth.csv
and the SDMetrics side: bash bench/peer_env.sh sdmetrics python bench/peers/sdmetrics_quality.py real.csv synth.csv"""
import numpy as np, pandas as pd, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
for name, seed, shift in [('real', 1, 0.0), ('synth', 2, 0.1)]:
    r = np.random.default_rng(seed)
    z = r.normal(size=(n, 4))
    cols = {}
    for i in range(14):
        base = z[:, i % 4] * 0.8 + r.normal(size=n) * 0.6 + shift
        cols[f'n{i}'] = (base * (10 ** (i % 3))).round(3 if i % 2 else 0)
        if i < 3:
            cols[f'n{i}'][r.random(n) < 0.02] = np.nan
    for j in range(6):
        k = [3, 5, 8, 12, 30, 100][j]
        codes = np.clip(((z[:, j % 4] + 3) / 6 * k).astype(int), 0, k - 1)
        cols[f'c{j}'] = np.array([f'v{c}' for c in range(k)], dtype=object)[codes]
    pd.DataFrame(cols).to_csv(f'{name}.csv', index=False)
