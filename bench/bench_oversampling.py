"""Times calm's `smote` / `adasyn` against imbalanced-learn's SMOTE / ADASYN on shuttle.csv.

imbalanced-learn (default sampling_strategy="auto") oversamples every class to the majority count
and returns the real rows plus the synthetic ones; calm is asked for the same number of rows, which
gives the same resample (real rows kept, the shortfall of each class synthesised). Two comparisons,
each at 1 and 2 threads (imbalanced-learn under threadpoolctl limits; calm --threads), best of R:
  engine: imbalanced-learn fit_resample on in-memory arrays vs calm fit + sample on an in-memory
          table (bench/bench_oversample.cpp), no CSV on either side;
  end-to-end: read the CSV, resample, write the CSV (pandas vs `calm generate`, reports off).
Wall times; on a shared machine each figure is the best of R runs.

Usage: python3 bench/bench_oversampling.py [--build build] [--data PATH] [--repeat 3]
Run it in its peer venv: bash bench/peer_env.sh imblearn python bench/bench_oversampling.py ...
"""
import argparse
import os
import pathlib
import re
import subprocess
import tempfile
import time

import pandas as pd
from imblearn.over_sampling import ADASYN, SMOTE
from threadpoolctl import threadpool_limits

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAKERS = {"smote": lambda: SMOTE(k_neighbors=5, random_state=0),
          "adasyn": lambda: ADASYN(n_neighbors=5, random_state=0)}


def best_of(fn, repeat):
    """Best wall time over `repeat` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def calm_engine(bench, data, target, n, threads, repeat):
    """{method: fit+sample seconds} from bench_oversample."""
    out = subprocess.run([bench, data, target, "--n", str(n), "--threads", str(threads),
                          "--repeat", str(repeat), "smote", "adasyn"],
                         check=True, capture_output=True, text=True).stdout
    return {m: float(s) for m, s in re.findall(r"^(\w+)\s.*fit\+sample ([0-9.]+) s", out, re.M)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default=str(ROOT / "build"), help="calm build folder")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "shuttle.csv"))
    ap.add_argument("--target", default="Class")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    calm = os.path.join(args.build, "calm")
    bench = os.path.join(args.build, "bench", "bench_oversample")

    df = pd.read_csv(args.data)
    x, y = df.drop(columns=[args.target]), df[args.target]
    n_out = int(y.value_counts().max() * y.nunique())
    print(f"data {args.data}: {len(df)} rows -> {n_out} rows; {os.cpu_count()} cores; "
          f"best of {args.repeat}")
    rows = []
    for threads in (1, 2):
        engine = calm_engine(bench, args.data, args.target, n_out, threads, args.repeat)
        for name, make in MAKERS.items():
            with threadpool_limits(threads):
                t_imb, (xr, yr) = best_of(lambda: make().fit_resample(x, y), args.repeat)

                def imb_end_to_end():
                    with tempfile.TemporaryDirectory() as tmp:
                        d = pd.read_csv(args.data)
                        a, b = make().fit_resample(d.drop(columns=[args.target]), d[args.target])
                        a.assign(**{args.target: b}).to_csv(os.path.join(tmp, "o.csv"), index=False)

                t_imb_e2e, _ = best_of(imb_end_to_end, args.repeat)

            def calm_end_to_end():
                with tempfile.TemporaryDirectory() as tmp:
                    subprocess.run([calm, "generate", args.data, "-m", name, "--target",
                                    args.target, "-n", str(n_out), "-o", tmp, "--seed", "0",
                                    "--no-report", "--quiet", "--threads", str(threads)],
                                   check=True, stdout=subprocess.DEVNULL)

            t_calm_e2e, _ = best_of(calm_end_to_end, args.repeat)
            if len(xr) != n_out:
                print(f"note: imbalanced-learn {name} returned {len(xr)} rows")
            rows.append((name, threads, t_imb, engine[name], t_imb_e2e, t_calm_e2e))

    print("\n| method | threads | imblearn fit_resample | calm fit+sample | speed-up | "
          "imblearn read+resample+write | calm generate (CSV in/out) | speed-up |")
    print("|---|---|---|---|---|---|---|---|")
    for name, threads, t_imb, t_eng, t_imb_e2e, t_e2e in rows:
        print(f"| {name} | {threads} | {t_imb:.3f} s | {t_eng:.3f} s | {t_imb / t_eng:.1f}x | "
              f"{t_imb_e2e:.3f} s | {t_e2e:.3f} s | {t_imb_e2e / t_e2e:.1f}x |")


if __name__ == "__main__":
    main()
