#!/usr/bin/env python3
"""Overhead of the Python package over the C++ CLI: the same data, method and seed, whole call.
Usage: PYTHONPATH=build/python python3 bench/bench_python_overhead.py DATA.csv [METHOD] [build/calm]
The Python side gets a DataFrame already in memory (read before timing); the CLI reads the CSV
and writes one, so the CLI figure includes I/O that the Python call does not do."""
import subprocess
import sys
import tempfile
import time

import pandas as pd

from calm_data_generator.generators.tabular import RealGenerator

data, method = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "cart")
calm = sys.argv[3] if len(sys.argv) > 3 else "build/calm"
df = pd.read_csv(data)
n = len(df)


def best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


gen = RealGenerator(auto_report=False, random_state=1)
t_py = best(lambda: gen.generate(df, n_samples=n, method=method))
out = tempfile.mkdtemp()
t_cli = best(lambda: subprocess.check_call(
    [calm, "generate", data, "-n", str(n), "-m", method, "--seed", "1", "-q", "--no-report",
     "-o", out], stdout=subprocess.DEVNULL))
print(f"{data}: {n} rows, method {method}: python generate() {t_py:.3f} s, CLI whole process "
      f"{t_cli:.3f} s, python/CLI = {t_py / t_cli:.2f}")
