"""Times calm's `smote` / `adasyn` against imbalanced-learn's SMOTE / ADASYN on shuttle.csv.

imbalanced-learn (default sampling_strategy="auto") oversamples every class to the majority count;
calm is asked for the same number of rows (all synthetic, balanced). Two ratios are printed:
  end-to-end: read the CSV, resample, write the CSV (what `calm generate` does, reports off);
  resample only: imbalanced-learn's fit_resample on in-memory arrays vs the whole calm command.

Usage: python3 bench/bench_oversampling.py [--calm build-mixture/calm] [--data PATH] [--repeat 3]
Needs: pip install imbalanced-learn
"""
import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import tempfile
import time

import pandas as pd
from imblearn.over_sampling import ADASYN, SMOTE

ROOT = pathlib.Path(__file__).resolve().parent.parent


def cpu_seconds():
    """CPU time of this process and of its finished children (user + system)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best_of(fn, repeat):
    """Best wall time, median wall time, best CPU time, last result. CPU time is the fairer
    figure on a shared machine, where wall time also counts waiting for a core."""
    times, cpus = [], []
    result = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), cpu_seconds()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    return min(times), statistics.median(times), min(cpus), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--calm", default=str(ROOT / "build-mixture" / "calm"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "shuttle.csv"))
    ap.add_argument("--target", default="Class")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="calm --threads (0 = all cores)")
    args = ap.parse_args()

    print(f"data {args.data}; calm {args.calm}; {os.cpu_count()} cores; best of {args.repeat}")
    for name, make in [("smote", lambda: SMOTE(k_neighbors=5, random_state=0)),
                       ("adasyn", lambda: ADASYN(n_neighbors=5, random_state=0))]:
        df = pd.read_csv(args.data)
        x, y = df.drop(columns=[args.target]), df[args.target]
        try:
            t_fit, _, c_fit, (xr, yr) = best_of(lambda: make().fit_resample(x, y), args.repeat)
        except Exception as e:  # ADASYN refuses some class layouts
            print(f"{name}: imbalanced-learn failed: {e}")
            continue
        n_out = len(xr)

        def imblearn_end_to_end():
            with tempfile.TemporaryDirectory() as tmp:
                d = pd.read_csv(args.data)
                a, b = make().fit_resample(d.drop(columns=[args.target]), d[args.target])
                a.assign(**{args.target: b}).to_csv(os.path.join(tmp, "out.csv"), index=False)

        t_imb_e2e, _, c_imb_e2e, _ = best_of(imblearn_end_to_end, args.repeat)

        def calm_run():
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([args.calm, "generate", args.data, "-m", name, "--target",
                                args.target, "-n", str(n_out), "-o", tmp, "--seed", "0",
                                "--no-report", "--quiet", "--threads", str(args.threads)],
                               check=True, stdout=subprocess.DEVNULL)
                return pd.read_csv(os.path.join(tmp, "RealGenerator_synthetic.csv"),
                                   usecols=[args.target])[args.target].value_counts().to_dict()

        t_calm, t_calm_med, c_calm, counts = best_of(calm_run, args.repeat)
        print(f"{name}: {n_out} rows out; imbalanced-learn class counts "
              f"{yr.value_counts().to_dict()}; calm {counts}")
        print(f"  {'':40s} {'wall s':>8s} {'CPU s':>8s}")
        print(f"  {'imbalanced-learn fit_resample':40s} {t_fit:8.3f} {c_fit:8.3f}")
        print(f"  {'imbalanced-learn read+resample+write':40s} {t_imb_e2e:8.3f} {c_imb_e2e:8.3f}")
        print(f"  {'calm generate (read+fit+sample+write)':40s} {t_calm:8.3f} {c_calm:8.3f}"
              f"  (median wall {t_calm_med:.3f})")
        print(f"  speed-up end-to-end: wall {t_imb_e2e / t_calm:5.2f}x, CPU {c_imb_e2e / c_calm:5.2f}x;"
              f" vs fit_resample alone: wall {t_fit / t_calm:5.2f}x, CPU {c_fit / c_calm:5.2f}x")


if __name__ == "__main__":
    main()
