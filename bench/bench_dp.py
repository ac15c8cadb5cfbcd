#!/usr/bin/env python3
"""Differential privacy side by side: calm's dp synth_types and datasynth against smartnoise-synth
1.0.8 and DataSynthesizer 0.1.13 (each in its own venv via bench/peer_env.sh), same data, same
epsilon, same number of rows, every output scored by calm's evaluator (`calm evaluate --json`,
SDMetrics-equivalent overall score). Prints one JSON line per run and a Markdown table; with
--svg writes the epsilon sweep as an SVG line chart (quality against epsilon, mean over seeds).
Usage:
  python3 bench/bench_dp.py --data telco_churn credit_data diamonds --eps 1 --seeds 1
  python3 bench/bench_dp.py --data telco_churn --eps 0.1 1 10 --seeds 1 2 3 --calm-only \\
      --svg bench/results/dp_eps_sweep.svg
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
CALM_METHODS = ["mst", "aim", "mwem", "pate_ctgan", "dpctgan", "datasynth"]
PEERS = {  # calm method -> (peer, peer synth_type)
    "mst": ("smartnoise", "mst"), "aim": ("smartnoise", "aim"), "mwem": ("smartnoise", "mwem"),
    "pate_ctgan": ("smartnoise", "patectgan"), "dpctgan": ("smartnoise", "dpctgan"),
    "datasynth": ("datasynthesizer", "privbayes"),
}


def score(calm, real, synth):
    out = subprocess.run([calm, "evaluate", str(real), str(synth), "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["overall"]


def run_calm(calm, method, eps, real, out, n, seed, k):
    args = [calm, "generate", str(real), "-n", str(n), "--seed", str(seed), "-o",
            str(out.parent), "--name", out.stem, "--no-report", "--log-level", "warning"]
    if method == "datasynth":
        args += ["-m", "datasynth", "--param", f"k={k}"]
    else:
        args += ["-m", "dp", "--param", f"synth_type={method}"]
    args += ["--param", f"epsilon={eps}"]
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, text=True)
    return time.perf_counter() - t0, out.parent / f"{out.stem}_synthetic.csv"


def run_peer(method, eps, real, out, n, seed, k, timeout):
    peer, synth_type = PEERS[method]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            ["bash", str(ROOT / "bench/peer_env.sh"), peer, "python",
             str(ROOT / "bench/peers/dp_peer.py"), peer, synth_type, str(eps), str(real),
             str(out), str(n), str(seed)], capture_output=True, text=True, timeout=timeout,
            env={**__import__("os").environ, "DS_K": str(k)})
    except subprocess.TimeoutExpired:
        return None, None, "timeout"
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return None, None, proc.stderr.strip().splitlines()[-1][:200] if proc.stderr else "failed"
    return json.loads(proc.stdout.strip().splitlines()[-1])["seconds"], wall, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", nargs="+", default=["telco_churn", "credit_data", "diamonds"])
    ap.add_argument("--eps", nargs="+", type=float, default=[1.0])
    ap.add_argument("--seeds", nargs="+", type=int, default=[1])
    ap.add_argument("--methods", nargs="+", default=CALM_METHODS)
    ap.add_argument("--calm", default=str(ROOT / "build/calm"))
    ap.add_argument("--calm-only", action="store_true")
    ap.add_argument("--k", type=int, default=2, help="datasynth/PrivBayes degree for both tools")
    ap.add_argument("--rows", type=int, default=0, help="synthetic rows (0: as many as real)")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--svg")
    a = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp())
    results = []
    for data in a.data:
        real = DATASETS / f"{data}.csv"
        rows = sum(1 for _ in open(real)) - 1
        n = a.rows or rows
        for eps in a.eps:
            for seed in a.seeds:
                for m in a.methods:
                    out = tmp / f"calm_{data}_{m}_{eps}_{seed}.csv"
                    try:
                        sec, path = run_calm(a.calm, m, eps, real, out, n, seed, a.k)
                        r = {"tool": "calm", "data": data, "method": m, "eps": eps, "seed": seed,
                             "seconds": sec, "score": score(a.calm, real, path)}
                    except subprocess.CalledProcessError as e:
                        r = {"tool": "calm", "data": data, "method": m, "eps": eps, "seed": seed,
                             "error": (e.stderr or "").strip()[-200:]}
                    print(json.dumps(r), flush=True)
                    results.append(r)
                    if a.calm_only:
                        continue
                    pout = tmp / f"peer_{data}_{m}_{eps}_{seed}.csv"
                    sec, wall, err = run_peer(m, eps, real, pout, n, seed, a.k, a.timeout)
                    r = {"tool": PEERS[m][0], "data": data, "method": PEERS[m][1], "eps": eps,
                         "seed": seed}
                    if err:
                        r["error"] = err
                    else:
                        r.update(seconds=sec, wall=wall, score=score(a.calm, real, pout))
                    print(json.dumps(r), flush=True)
                    results.append(r)
    print("\n| data | eps | calm method | calm score | calm s | peer | peer score | peer s | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if r["tool"] != "calm":
            continue
        peer = next((p for p in results if p["tool"] != "calm" and p["data"] == r["data"]
                     and p["eps"] == r["eps"] and p["seed"] == r["seed"]
                     and p["method"] == PEERS[r["method"]][1]), None)
        cs = f"{r['score']:.4f}" if "score" in r else r.get("error", "")
        ct = f"{r['seconds']:.1f}" if "seconds" in r else ""
        ps = pt = sp = ""
        if peer:
            ps = f"{peer['score']:.4f}" if "score" in peer else peer.get("error", "")
            pt = f"{peer['seconds']:.1f}" if "seconds" in peer else ""
            if "seconds" in peer and "seconds" in r:
                sp = f"{peer['seconds'] / r['seconds']:.1f}x"
        print(f"| {r['data']} | {r['eps']:g} | {r['method']} | {cs} | {ct} | "
              f"{PEERS[r['method']][0]} {PEERS[r['method']][1]} | {ps} | {pt} | {sp} |")
    if a.svg:
        write_svg(a.svg, results, a.eps)


def write_svg(path, results, eps_values):
    import math
    series = {}
    for r in results:
        if r["tool"] == "calm" and "score" in r:
            series.setdefault(f"{r['data']} {r['method']}", {}).setdefault(r["eps"], []).append(
                r["score"])
    w, h, pad = 720, 420, 60
    xs = sorted(eps_values)
    lx = [math.log10(x) for x in xs]
    ymin = min(min(sum(v) / len(v) for v in s.values()) for s in series.values()) - 0.02
    ymax = 1.0
    X = lambda e: pad + (math.log10(e) - lx[0]) / max(1e-9, lx[-1] - lx[0]) * (w - 2 * pad - 160)
    Y = lambda v: h - pad - (v - ymin) / (ymax - ymin) * (h - 2 * pad)
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">calm DP methods: '
           f'quality against epsilon (mean over seeds)</text>',
           f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad - 160}" y2="{h - pad}" stroke="black"/>',
           f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>']
    for e in xs:
        out.append(f'<text x="{X(e)}" y="{h - pad + 18}" text-anchor="middle">{e:g}</text>')
    for t in range(6):
        v = ymin + (ymax - ymin) * t / 5
        out.append(f'<text x="{pad - 6}" y="{Y(v) + 4}" text-anchor="end">{v:.2f}</text>')
    out.append(f'<text x="{(w - 160) / 2}" y="{h - 15}" text-anchor="middle">epsilon (log)</text>')
    for i, (name, s) in enumerate(sorted(series.items())):
        c = colours[i % len(colours)]
        pts = " ".join(f"{X(e)},{Y(sum(s[e]) / len(s[e]))}" for e in xs if e in s)
        out.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="{pts}"/>')
        out.append(f'<text x="{w - pad - 150}" y="{pad + 16 * i}" fill="{c}">{name}</text>')
    out.append("</svg>")
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(path).write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.exit(main())
