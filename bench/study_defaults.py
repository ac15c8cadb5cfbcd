#!/usr/bin/env python3
"""Issue 18's defaults study: quality and exact copies of the row-wise methods over many tables,
several seeds each, with each method's defaults and the candidate settings they are chosen from.

Tables: every CSV of ../shared/datasets/ (the sequence tables pbc_longitudinal and
tx_housing_monthly as plain tables; pbmc_small_counts, a count matrix, left to issue 16) plus the
generated tables of bench/study_tables.py (heavy missingness, small-integer features with
classes, skewed money columns, a high-cardinality categorical).
Per run: `calm generate TABLE -n ROWS -m METHOD --seed S --no-report [--target T] [--param ...]`
(ROWS = real rows), then `calm evaluate TABLE SYN --json` (SDMetrics QualityReport-equivalent
overall). copies = share of synthetic rows equal, as CSV text, to a real row, minus the real
table's own duplicate-row share (issue 18 counts copies beyond it).
Usage: python3 bench/study_defaults.py [--calm build/calm] [--seeds 1 2 3] [--variants ...]
       [--tables ...] [--small-only] [--json-out FILE] [--from FILE ...]
Prints a markdown table: mean (min) quality and mean copies per table and variant.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import study_tables  # noqa: E402

DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "datasets"))
SHARED = {"airquality_ny_1973": None, "penguins": "species", "credit_card_applications": "card",
          "pbc_longitudinal": None, "credit_data": "Status", "telco_churn": "churn",
          "tx_housing_monthly": None, "diamonds": "price", "shuttle": "Class"}
# variant name -> (method, extra params)
VARIANTS = {
    "cart": ("cart", []), "cart_leaf5": ("cart", ["min_samples_leaf=5"]),
    "cart_leaf10": ("cart", ["min_samples_leaf=10"]),
    "rf": ("rf", []), "lgbm": ("lgbm", []), "lgbm_keep": ("lgbm", ["redraw_copies=False"]),
    "ctgan": ("ctgan", []), "copulagan": ("copulagan", []), "tvae": ("tvae", []),
    "ctgan_critic1": ("ctgan", ["discriminator_steps=1"]),
    "copulagan_critic1": ("copulagan", ["discriminator_steps=1"]),
    "copulagan_beta": ("copulagan", ["default_distribution=beta"]),
    "copulagan_empirical": ("copulagan", ["default_distribution=empirical"]),
}
SMALL = 2000  # rows: the deep methods are studied on tables up to this size


def copies(real, syn):
    key = lambda d: d.astype(str).agg("\x1f".join, axis=1)
    return float(key(syn).isin(set(key(real))).mean() - real.duplicated().mean())


def run_one(calm, path, target, variant, seed, work):
    method, extra = VARIANTS[variant]
    real = pd.read_csv(path, dtype=str, keep_default_na=False)
    name = f"{os.path.basename(path)[:-4]}_{variant}_{seed}"
    cmd = [calm, "generate", path, "-n", str(len(real)), "-m", method, "--seed", str(seed),
           "--no-report", "-q", "-o", work, "--name", name]
    if target:
        cmd += ["--target", target]
    for p in extra:
        cmd += ["--param", p]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip()[-300:]}
    syn_path = os.path.join(work, name + "_synthetic.csv")
    ev = subprocess.run([calm, "evaluate", path, syn_path, "--json"], capture_output=True,
                        text=True, check=True)
    syn = pd.read_csv(syn_path, dtype=str, keep_default_na=False)
    out = {"score": json.loads(ev.stdout)["overall"], "copies": copies(real, syn)}
    os.remove(syn_path)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calm", default=os.path.join(HERE, "..", "build", "calm"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--variants", nargs="+", default=["cart", "cart_leaf5", "rf", "lgbm"])
    ap.add_argument("--tables", nargs="+")
    ap.add_argument("--small-only", action="store_true")
    ap.add_argument("--json-out")
    ap.add_argument("--from", dest="from_", nargs="+", default=[])
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="calm_study_")
    tables = {name: (os.path.join(DATA, name + ".csv"), t) for name, t in SHARED.items()}
    for name, t in study_tables.write_all(os.path.join(work, "tables")).items():
        tables[name] = (os.path.join(work, "tables", name + ".csv"), t)
    if a.tables:
        tables = {k: v for k, v in tables.items() if k in a.tables}
    results = []
    for f in a.from_:
        results += [json.loads(line) for line in open(f)]
    for name, (path, target) in tables.items():
        rows = sum(1 for _ in open(path)) - 1
        if a.small_only and rows > SMALL:
            continue
        for variant in a.variants:
            for seed in a.seeds:
                r = {"table": name, "rows": rows, "variant": variant, "seed": seed}
                r.update(run_one(a.calm, path, target, variant, seed, work))
                results.append(r)
                print(json.dumps(r), file=sys.stderr, flush=True)
                if a.json_out:
                    with open(a.json_out, "a") as f:
                        f.write(json.dumps(r) + "\n")
    df = pd.DataFrame(results)
    ok = df[df.get("error").isna()] if "error" in df else df
    variants = list(dict.fromkeys(df["variant"]))
    print("| table (rows) | " + " | ".join(variants) + " |")
    print("|---|" + "---|" * len(variants))
    for table in dict.fromkeys(df["table"]):
        cells = []
        for v in variants:
            s = ok[(ok.table == table) & (ok.variant == v)]
            cells.append(f"{s.score.mean():.3f} ({s.score.min():.3f}), {100 * s.copies.mean():.1f}%"
                         if len(s) else "")
        rows = df[df.table == table].rows.iloc[0]
        print(f"| {table} ({rows}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
