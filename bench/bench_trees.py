#!/usr/bin/env python3
"""Issue 4's table for the tree methods (cart, rf, lgbm): quality, exact copies, DCR and
whole-process time per dataset, plus ML efficacy (TSTR vs TRTR) on telco_churn and diamonds.

Usage: python3 bench/bench_trees.py [--calm build/calm] [--seeds 1 2] [--methods cart rf lgbm]
                                    [--datasets penguins telco_churn ...] [--efficacy]
Quality, privacy (exact-copy rate against calm's training split, DCR = median HEOM distance of
a synthetic row to its nearest training row, and the same for real hold-out rows as the
baseline) and ML efficacy come from `calm evaluate REAL SYN [--target T] -o DIR`
(sdv_quality_report.json). "copies (all)" is the share of synthetic rows equal, as CSV text, to
any real row. Times are the wall clock of `calm generate` (read CSV, fit, sample, write CSV, no
reports). Prints markdown tables.
Caveat: the synthesizer is fitted on every real row, including the rows `calm evaluate` holds out
for TSTR/TRTR and for the DCR baseline, so TSTR is optimistic (it may exceed TRTR).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROWS = {"penguins": 1000, "telco_churn": 5000, "credit_data": 5000, "diamonds": 53940}
TARGETS = {"telco_churn": "churn", "diamonds": "price"}
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "datasets"))


def exact_copies(real, syn):
    """Share of synthetic rows equal, as CSV text, to some real row (all real rows)."""
    key = lambda d: d.astype(str).agg("\x1f".join, axis=1)
    return key(syn).isin(set(key(real))).mean()


def run(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return time.perf_counter() - t, r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calm", default=os.path.join(HERE, "..", "build", "calm"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--methods", nargs="+", default=["cart", "rf", "lgbm"])
    ap.add_argument("--datasets", nargs="+", default=list(ROWS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--efficacy", action="store_true", help="add TSTR vs TRTR rows")
    a = ap.parse_args()
    print("| dataset (rows) | method | quality | copies (all) | copies (train) | DCR syn / holdout "
          "| whole process s |")
    print("|---|---|---|---|---|---|---|")
    eff = []
    for ds in a.datasets:
        path = os.path.join(DATA, ds + ".csv")
        real = pd.read_csv(path, dtype=str, keep_default_na=False)
        for m in a.methods:
            q, cp, ct, dcr, tm = [], [], [], [], []
            for seed in a.seeds:
                with tempfile.TemporaryDirectory() as out:
                    t, _ = run([a.calm, "generate", path, "-n", str(ROWS[ds]), "-m", m,
                                "--seed", str(seed), "--threads", str(a.threads), "-q",
                                "--no-report", "-o", out])
                    synf = os.path.join(out, "RealGenerator_synthetic.csv")
                    ev = os.path.join(out, "eval")
                    cmd = [a.calm, "evaluate", path, synf, "-o", ev, "--threads", str(a.threads)]
                    if a.efficacy and ds in TARGETS and seed == a.seeds[0]:
                        cmd += ["--target", TARGETS[ds]]
                    run(cmd)
                    rep = json.load(open(os.path.join(ev, "sdv_quality_report.json")))
                    pv = rep.get("privacy") or {}
                    q.append(rep["overall"])
                    syn = pd.read_csv(synf, dtype=str, keep_default_na=False)
                    cp.append(exact_copies(real, syn))
                    ct.append(pv.get("exact_copy_rate", float("nan")))
                    dcr.append((pv.get("dcr_synthetic_median", float("nan")),
                                pv.get("dcr_holdout_median", float("nan"))))
                    tm.append(t)
                    if rep.get("ml_efficacy"):
                        e = rep["ml_efficacy"]
                        eff.append((ds, m, e.get("task"), e.get("trtr"), e.get("tstr")))
            rng = lambda v, f: f.format(np.mean(v)) + (
                f" (min {f.format(min(v))})" if len(v) > 1 else "")
            d = np.mean(dcr, axis=0)
            print(f"| {ds} ({ROWS[ds]}) | {m} | {rng(q, '{:.3f}')} | {100 * np.mean(cp):.2f}% "
                  f"| {100 * np.mean(ct):.2f}% | {d[0]:.3f} / {d[1]:.3f} | {np.mean(tm):.2f} |",
                  flush=True)
    if eff:
        print("\n| dataset | method | task | TRTR | TSTR |\n|---|---|---|---|---|")
        for ds, m, task, trtr, tstr in eff:
            f = lambda r: ", ".join(f"{k} {v:.3f}" for k, v in (r or {}).items()
                                    if isinstance(v, float))
            print(f"| {ds} | {m} | {task} | {f(trtr)} | {f(tstr)} |")


if __name__ == "__main__":
    main()
