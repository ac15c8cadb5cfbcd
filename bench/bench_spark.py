"""calm_data_generator.spark: N rows (default 20M) of cart (diamonds model) to Parquet on Spark
local[1] and local[2]; prints wall time, rows/s and the speed-up. Run in the spark venv:
PYTHONPATH=build/python bash bench/peer_env.sh spark python bench/bench_spark.py [N]"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from pyspark.sql import SparkSession

from calm_data_generator import spark as calm_spark
from calm_data_generator.generators.tabular import RealGenerator

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
DIAMONDS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "diamonds.csv"


def main() -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one engine thread per Spark task
    work = Path(tempfile.mkdtemp(prefix="calm_bench_spark_"))
    gen = RealGenerator(auto_report=False, random_state=1)
    gen.generate(pd.read_csv(DIAMONDS), n_samples=100, method="cart")
    gen.save(work / "diamonds.calm")
    times = {}
    for cores in (1, 2):
        spark = (SparkSession.builder.master(f"local[{cores}]").appName("calm-bench")
                 .config("spark.ui.enabled", "false").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        start = time.perf_counter()
        rows = calm_spark.generate(spark, work / "diamonds.calm", N, random_state=7)
        rows.write.parquet(str(work / f"parquet_{cores}"))
        times[cores] = time.perf_counter() - start
        spark.stop()
        print(f"local[{cores}]: {times[cores]:.1f} s, {N / times[cores]:,.0f} rows/s")
    print(f"speed-up local[2] / local[1]: {times[1] / times[2]:.2f}x")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
