"""calm_data_generator.distributed.fit against one process: gaussian_copula fitted from the
partitions of a Parquet dataset on a dask LocalCluster (2 worker processes x 1 thread), and the
same table fitted whole in pandas. Prints wall time, the largest process's peak memory (RSS), and the
quality score (calm's evaluator) of 50,000 rows sampled from each model against 50,000 real rows.

The data: diamonds (../shared/datasets) repeated COPIES times (default 40: 2.16M rows), numeric
columns multiplied by 1 + 0.01 N(0, 1) (seeded) so that the copies are not exact duplicates,
written as Parquet files of COPIES // 16 copies each. Each mode runs in its own process.
Run in the dask venv: PYTHONPATH=build/python bash bench/peer_env.sh dask python
bench/bench_dask_fit.py [COPIES]"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

DIAMONDS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "diamonds.csv"
SAMPLE = 50_000


def make_data(folder: Path, copies: int) -> None:
    base = pd.read_csv(DIAMONDS)
    rng = np.random.default_rng(11)
    folder.mkdir()
    per_file = max(1, copies // 16)
    for f in range(0, copies, per_file):
        parts = []
        for _ in range(f, min(copies, f + per_file)):
            part = base.copy()
            for name in ("carat", "depth", "table", "x", "y", "z"):
                part[name] = (part[name] * (1 + 0.01 * rng.standard_normal(len(part)))).round(2)
            part["price"] = (part["price"] * (1 + 0.01 * rng.standard_normal(len(part)))).round()
            part["price"] = part["price"].astype("int64")
            parts.append(part)
        pd.concat(parts, ignore_index=True).to_parquet(folder / f"part-{f:04d}.parquet")


def run_mode(mode: str, data: Path, model: Path) -> None:
    start = time.perf_counter()
    if mode == "single":
        from calm_data_generator.generators.tabular import RealGenerator

        frame = pd.read_parquet(data)
        gen = RealGenerator(auto_report=False, random_state=1)
        gen.generate(frame, n_samples=10, method="gaussian_copula")
        gen.save(model)
    else:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        from calm_data_generator import distributed as calm_dask

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            calm_dask.fit(dd.read_parquet(data), model, random_state=1)
    seconds = time.perf_counter() - start
    # Peak RSS of this process and of every process it started and waited for (the workers).
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024}))


def quality(data: Path, model: Path) -> float:
    from calm_data_generator.generators.tabular import RealGenerator
    from calm_data_generator.reports.quality import QualityReporter

    real = pd.read_parquet(data).sample(SAMPLE, random_state=5).reset_index(drop=True)
    synth = RealGenerator.load(model, auto_report=False, random_state=2).generate(
        data=None, n_samples=SAMPLE)
    return QualityReporter(verbose=False).calculate_quality_metrics(real, synth)[
        "overall_quality_score"]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] in ("single", "dask"):
        run_mode(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        return
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    work = Path(tempfile.mkdtemp(prefix="calm_bench_dask_fit_"))
    data = work / "data"
    make_data(data, copies)
    rows = len(pd.read_parquet(data, columns=["price"]))
    print(f"{rows:,} rows in {len(list(data.iterdir()))} Parquet files")
    for mode in ("single", "dask"):
        model = work / f"{mode}.calm"
        out = subprocess.run([sys.executable, __file__, mode, str(data), str(model)],
                             check=True, capture_output=True, text=True).stdout
        got = json.loads(out.strip().splitlines()[-1])
        print(f"{mode}: fit {got['seconds']:.1f} s, largest process {got['peak_mb']:.0f} MB, "
              f"quality {quality(data, model):.3f}")


if __name__ == "__main__":
    main()
