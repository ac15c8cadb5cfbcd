"""calm_data_generator.distributed: N rows (default 20M) of cart (diamonds model) to Parquet on a
dask LocalCluster of 1 and of 2 worker processes (1 thread each); prints wall time, rows/s and the
speed-up. Run in the dask venv: bash bench/peer_env.sh dask python bench/bench_dask.py [N]
with PYTHONPATH pointing at the built package (e.g. build/python)."""

import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from distributed import Client, LocalCluster

from calm_data_generator import distributed as calm_dask
from calm_data_generator.generators.tabular import RealGenerator

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
DIAMONDS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "diamonds.csv"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="calm_bench_dask_"))
    gen = RealGenerator(auto_report=False, random_state=1)
    gen.generate(pd.read_csv(DIAMONDS), n_samples=100, method="cart")
    gen.save(work / "diamonds.calm")
    times = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            out = work / f"parquet_{workers}"
            start = time.perf_counter()
            rows = calm_dask.generate(work / "diamonds.calm", N, client=client, random_state=7)
            rows.to_parquet(out, write_index=False)
            times[workers] = time.perf_counter() - start
            shutil.rmtree(out)
        print(f"{workers} worker(s): {times[workers]:.1f} s, {N / times[workers]:,.0f} rows/s")
    print(f"speed-up 2 workers / 1 worker: {times[1] / times[2]:.2f}x")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
