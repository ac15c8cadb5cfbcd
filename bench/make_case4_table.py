"""The seed's Case 4 table: N rows (default 1,000,000) x 20 mixed columns with known structure,
for bench/bench_scale.sh. 14 numeric columns (correlated Gaussians, a log-normal money column and
its tax, small integers, a count, a percentage with 5% missing) and 6 categorical ones (3 to 40
levels, some depending on the numbers). Deterministic: numpy seed 2026.

usage: python3 bench/make_case4_table.py OUT.csv [N]
"""

import sys

import numpy as np
import pandas as pd


def make(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(2026)
    cov = np.full((4, 4), 0.5) + 0.5 * np.eye(4)
    g = rng.multivariate_normal(np.zeros(4), cov, size=n)
    income = np.round(np.exp(10 + 0.6 * g[:, 0]), 2)
    region = rng.choice(["north", "south", "east", "west", "centre"], size=n,
                        p=[0.3, 0.25, 0.2, 0.15, 0.1])
    segment = np.where(income > np.quantile(income, 0.8), "premium",
                       np.where(income > np.quantile(income, 0.4), "standard", "basic"))
    age = np.clip(np.round(40 + 12 * g[:, 1]), 18, 90).astype(int)
    pct = np.round(np.clip(50 + 15 * g[:, 2], 0, 100), 1)
    pct[rng.random(n) < 0.05] = np.nan
    df = pd.DataFrame({
        "income": income,
        "tax": np.round(income * 0.21 + rng.normal(0, 50, n), 2),
        "age": age,
        "tenure_years": np.clip(np.round((age - 18) * rng.random(n)), 0, None).astype(int),
        "score_a": np.round(g[:, 2], 4),
        "score_b": np.round(0.7 * g[:, 2] + 0.3 * g[:, 3], 4),
        "score_c": np.round(rng.standard_t(5, n), 4),
        "visits": rng.poisson(3 + 2 * (g[:, 3] > 0), n),
        "items": rng.integers(1, 11, n),
        "balance": np.round(rng.gamma(2.0, 800.0, n) * (1 + 0.3 * g[:, 0].clip(-2, 2)), 2),
        "utilisation": pct,
        "latitude": np.round(40 + 5 * rng.random(n), 5),
        "longitude": np.round(-3 + 6 * rng.random(n), 5),
        "rating": rng.choice([1, 2, 3, 4, 5], size=n, p=[0.05, 0.1, 0.2, 0.35, 0.3]),
        "region": region,
        "segment": segment,
        "channel": rng.choice(["web", "store", "phone"], size=n, p=[0.6, 0.3, 0.1]),
        "product": np.array([f"P{k:02d}" for k in range(40)])[
            np.minimum(rng.zipf(1.6, n) - 1, 39)],
        "plan": np.where(age > 60, "senior", rng.choice(["basic", "plus", "max"], size=n)),
        "churned": np.where(rng.random(n) < 1 / (1 + np.exp(-(g[:, 3] - 1.5))), "yes", "no"),
    })
    return df


if __name__ == "__main__":
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    make(n).to_csv(out, index=False)
    print(f"wrote {n} rows x 20 columns to {out}")
