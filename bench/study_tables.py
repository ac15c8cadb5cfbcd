#!/usr/bin/env python3
"""Tables with known structure for the defaults study (issue 18), written as CSV.

Each generator is deterministic (numpy seed 2026) and documents the structure it plants:
  clinical_missing (600 rows): age, sex, bmi, treatment, two lab values with ~26% and ~54%
    missing at random given age and sex (older patients and women measured more often), the
    labs correlated with age/bmi, and an outcome that depends on the labs when present and on
    their absence (a missing-heavy clinical table like the one issue 18 reports).
  small_int_classes (3000 rows): ten small-integer features (0..6) from a latent class, the
    class (8 levels) as target; the values are coarse, so ~3% of the rows repeat.
  skewed_money (2000 rows): log-normal income, spending proportional to income with noise,
    a zero-inflated savings balance (40% zeros), loans present for a third, a segment label.
  high_cardinality (3000 rows): a merchant id among 600 levels (Zipf), its region (a function
    of the merchant), amount depending on region, and a channel category.
Usage: python3 bench/study_tables.py OUT_DIR
"""
import os
import sys

import numpy as np
import pandas as pd


def clinical_missing(rng):
    n = 600
    age = np.clip(rng.normal(58, 14, n), 18, 95).round()
    sex = rng.choice(["F", "M"], n)
    bmi = np.clip(rng.normal(27 + 0.03 * (age - 58), 4.5, n), 15, 50).round(1)
    treatment = rng.choice(["placebo", "low", "high"], n, p=[0.4, 0.3, 0.3])
    chol = (180 + 0.8 * (age - 58) + 2.0 * (bmi - 27) + rng.normal(0, 25, n)).round()
    crp = np.exp(rng.normal(0.5 + 0.04 * (bmi - 27), 0.8, n)).round(2)
    p_chol = 1 / (1 + np.exp(-(0.9 + 0.04 * (age - 58) + 0.4 * (sex == "F"))))
    p_crp = 1 / (1 + np.exp(-(0.0 + 0.05 * (age - 58) - 0.3 * (sex == "F"))))
    chol_missing = rng.uniform(size=n) > p_chol
    crp_missing = rng.uniform(size=n) > p_crp
    risk = (0.02 * (age - 58) + 0.01 * np.nan_to_num(chol - 180) + 0.3 * np.log(crp)
            - 0.5 * (treatment == "high") + 0.8 * crp_missing)
    outcome = np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-risk)), "event", "none")
    chol = np.where(chol_missing, np.nan, chol)
    crp = np.where(crp_missing, np.nan, crp)
    return pd.DataFrame({"age": age.astype(int), "sex": sex, "bmi": bmi, "treatment": treatment,
                         "cholesterol": chol, "crp": crp, "outcome": outcome}), "outcome"


def small_int_classes(rng):
    n, k = 3000, 8
    cls = rng.choice(k, n, p=np.array([30, 20, 15, 10, 10, 7, 5, 3]) / 100)
    centers = rng.integers(0, 7, size=(k, 10))
    x = np.clip(centers[cls] + rng.integers(-1, 2, size=(n, 10)), 0, 6)
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(10)])
    df["label"] = [f"class_{c}" for c in cls]
    return df, "label"


def skewed_money(rng):
    n = 2000
    income = np.exp(rng.normal(10.6, 0.7, n)).round(2)
    spending = (income * rng.uniform(0.2, 0.6, n) + rng.normal(0, 2000, n)).clip(0).round(2)
    savings = np.where(rng.uniform(size=n) < 0.4, 0.0,
                       np.exp(rng.normal(9, 1.5, n))).round(2)
    loan = np.where(rng.uniform(size=n) < 0.33, (income * rng.uniform(0.5, 3, n)).round(-2),
                    np.nan)
    segment = np.where(income > 60000, "premium", np.where(income > 30000, "standard", "basic"))
    return pd.DataFrame({"income": income, "spending": spending, "savings": savings,
                         "loan": loan, "segment": segment}), "segment"


def high_cardinality(rng):
    n, m = 3000, 600
    p = 1 / np.arange(1, m + 1) ** 1.1
    merchant = rng.choice(m, n, p=p / p.sum())
    region_of = rng.choice(["north", "south", "east", "west", "centre"], m)
    region = region_of[merchant]
    base = {"north": 40, "south": 25, "east": 60, "west": 35, "centre": 80}
    amount = np.array([np.exp(np.log(base[r]) + rng.normal(0, 0.6)) for r in region]).round(2)
    channel = rng.choice(["web", "store", "phone"], n, p=[0.5, 0.4, 0.1])
    return pd.DataFrame({"merchant": [f"M{m_:04d}" for m_ in merchant], "region": region,
                         "amount": amount, "channel": channel}), "channel"


GENERATORS = {"clinical_missing": clinical_missing, "small_int_classes": small_int_classes,
              "skewed_money": skewed_money, "high_cardinality": high_cardinality}


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    targets = {}
    for name, gen in GENERATORS.items():
        df, target = gen(np.random.default_rng(2026))
        df.to_csv(os.path.join(out_dir, name + ".csv"), index=False)
        targets[name] = target
    return targets


if __name__ == "__main__":
    print(write_all(sys.argv[1]))
