#!/usr/bin/env python3
"""ML efficacy without the leak: each dataset is split once (seeded, 70/30) into a training part and
a hold-out the synthesizer never sees; calm fits on the training part, generates as many rows, and
`calm evaluate --target T --holdout` scores TRTR (XGBoost trained on the training part) and TSTR
(trained on the synthetic rows), both on the hold-out.
Usage: python3 bench/bench_tstr_holdout.py [--calm build/calm] [--methods cart rf lgbm]"""
import argparse
import json
import pathlib
import subprocess
import tempfile

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets"
CASES = [("telco_churn", "churn"), ("diamonds", "price")]

ap = argparse.ArgumentParser()
ap.add_argument("--calm", default=str(ROOT / "build" / "calm"))
ap.add_argument("--methods", nargs="+", default=["cart", "rf", "lgbm"])
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()

print("| dataset | method | TRTR | TSTR |\n|---|---|---|---|")
with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    for name, target in CASES:
        df = pd.read_csv(DATA / f"{name}.csv")
        holdout = df.sample(frac=0.3, random_state=args.seed)
        train = df.drop(holdout.index)
        train.to_csv(tmp / "train.csv", index=False)
        holdout.to_csv(tmp / "holdout.csv", index=False)
        for method in args.methods:
            out = tmp / f"{name}-{method}"
            subprocess.run([args.calm, "generate", str(tmp / "train.csv"), "-n", str(len(train)),
                            "-m", method, "--seed", str(args.seed), "-q", "--no-report", "-o",
                            str(out)], check=True, stdout=subprocess.DEVNULL)
            rep = tmp / f"{name}-{method}-rep"
            subprocess.run([args.calm, "evaluate", str(tmp / "train.csv"),
                            str(out / "RealGenerator_synthetic.csv"), "--target", target,
                            "--holdout", str(tmp / "holdout.csv"), "--minimal", "-o", str(rep)],
                           check=True, capture_output=True)
            ml = json.loads((rep / "sdv_quality_report.json").read_text())["ml_efficacy"]
            fmt = lambda m: ", ".join(f"{k} {v:.3f}" for k, v in m.items() if v is not None)
            print(f"| {name} ({target}) | {method} | {fmt(ml['trtr'])} | {fmt(ml['tstr'])} |",
                  flush=True)
