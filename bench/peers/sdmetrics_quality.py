#!/usr/bin/env python3
"""SDMetrics QualityReport on a real/synthetic CSV pair, whole process (CSV parsing included), with
the metadata calm infers (`calm inspect --json`). Usage, in its peer venv:
bash bench/peer_env.sh sdmetrics python bench/peers/sdmetrics_quality.py REAL SYNTH [build/calm]"""
import json
import subprocess
import sys
import time

t0 = time.perf_counter()
import pandas as pd  # noqa: E402
from sdmetrics.reports.single_table import QualityReport  # noqa: E402

real_path, synth_path = sys.argv[1], sys.argv[2]
calm = sys.argv[3] if len(sys.argv) > 3 else "build/calm"
schema = json.loads(subprocess.check_output([calm, "inspect", real_path, "--json"]))
columns = {}
for c in schema["columns"]:
    columns[c["name"]] = {"sdtype": c["type"]}
    if c["type"] == "datetime":
        columns[c["name"]]["datetime_format"] = "%Y-%m-%d"
real = pd.read_csv(real_path)
synth = pd.read_csv(synth_path)
report = QualityReport()
report.generate(real, synth, {"columns": columns}, verbose=False)
print(f"sdmetrics overall {report.get_score():.6f} in {time.perf_counter() - t0:.1f} s (whole process)")
