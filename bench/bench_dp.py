#!/usr/bin/env python3
"""Differential privacy side by side: calm's dp synth_types and datasynth against smartnoise-synth
1.0.8 and DataSynthesizer 0.1.13 (each in its own venv via bench/peer_env.sh), same data, same
epsilon, same number of rows, every output scored by calm's evaluator (`calm evaluate --json`,
SDMetrics-equivalent overall score). Prints one JSON line per run and a Markdown table; with
--svg writes the epsilon sweep as an SVG line chart (quality against epsilon, mean over seeds).
Peer runs are slow (minutes to hours), so they can be run once and kept: --peers-only --keep DIR
runs only the peers and keeps each synthetic CSV and a JSON with its timing (or its timeout/error)
in DIR, skipping runs already kept there; --peers-from DIR then runs calm and scores both tools
from the kept files without running any peer again. A peer run past --timeout is killed (its whole
process group) and recorded as "> TIMEOUT s", a lower bound on the peer's time.
Usage:
  python3 bench/bench_dp.py --data telco_churn credit_data diamonds --eps 1 --seeds 1
  nice -n 10 python3 bench/bench_dp.py --peers-only --keep bench/results/dp_peers --timeout 1800
  python3 bench/bench_dp.py --peers-from bench/results/dp_peers --keep bench/results/dp_calm \
      --json-out bench/results/dp_side_by_side.jsonl
  python3 bench/bench_dp.py --data telco_churn --eps 0.1 1 10 --seeds 1 2 3 --calm-only \\
      --svg bench/results/dp_eps_sweep.svg
"""
import argparse
import json
import os
import pathlib
import resource
import signal
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


def public_categories(calm, real):
    """The categories of calm's categorical columns as observed in the CSV: the public input the
    peers take for granted (smartnoise and DataSynthesizer read categorical columns' values from
    the data without spending budget), given to calm as model_params domain with
    --public-categories so that both sides get the same public inputs."""
    import csv
    out = subprocess.run([calm, "inspect", str(real)], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    kinds = {}
    for line in out[2:]:
        parts = line.split()
        if len(parts) >= 3:
            kinds[parts[0]] = parts[1]
    values = {c: set() for c, kind in kinds.items() if kind == "categorical"}
    with open(real, newline="") as f:
        for row in csv.DictReader(f):
            for c in values:
                if row[c] != "":
                    values[c].add(row[c])
    return {c: sorted(v) for c, v in values.items() if v}


def public_bounds(calm, real):
    """The observed [min, max] of calm's numerical columns (what DataSynthesizer reads from the
    data without spending budget), given to calm as model_params bounds with --public-bounds."""
    import csv
    out = subprocess.run([calm, "inspect", str(real)], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    numeric = [line.split()[0] for line in out[2:] if len(line.split()) >= 3
               and line.split()[1] == "numerical"]
    lo, hi = {}, {}
    with open(real, newline="") as f:
        for row in csv.DictReader(f):
            for c in numeric:
                try:
                    x = float(row[c])
                except ValueError:
                    continue
                lo[c], hi[c] = min(lo.get(c, x), x), max(hi.get(c, x), x)
    return {c: [lo[c], hi[c]] for c in lo if lo[c] < hi[c]}


def run_calm(calm, method, eps, real, out, n, seed, k, public=False, bounds=False):
    args = [calm, "generate", str(real), "-n", str(n), "--seed", str(seed), "-o",
            str(out.parent), "--name", out.stem, "--no-report", "--log-level", "warning"]
    if public:
        args += ["--param", "domain=" + json.dumps(public_categories(calm, real))]
    if bounds:
        args += ["--param", "bounds=" + json.dumps(public_bounds(calm, real))]
    if method == "datasynth":
        args += ["-m", "datasynth", "--param", f"k={k}"]
    else:
        args += ["-m", "dp", "--param", f"synth_type={method}"]
    args += ["--param", f"epsilon={eps}"]
    t0, c0 = time.perf_counter(), children_cpu()
    subprocess.run(args, check=True, capture_output=True, text=True)
    return (time.perf_counter() - t0, children_cpu() - c0,
            out.parent / f"{out.stem}_synthetic.csv")


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def peer_stem(method, data, eps, seed):
    peer, synth_type = PEERS[method]
    return f"{peer}_{synth_type}_{data}_eps{eps:g}_seed{seed}"


def run_peer(method, eps, real, out, n, seed, k, timeout):
    """Runs one peer in its venv; returns a dict with seconds (fit + sample inside the peer) and
    wall (whole process, imports included), or timeout, or error. On timeout the whole process
    group is killed (DataSynthesizer forks worker processes)."""
    peer, synth_type = PEERS[method]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["bash", str(ROOT / "bench/peer_env.sh"), peer, "python",
         str(ROOT / "bench/peers/dp_peer.py"), peer, synth_type, str(eps), str(real),
         str(out), str(n), str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "DS_K": str(k)}, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"timeout": timeout}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        lines = [l for l in (stderr or "").strip().splitlines() if l.strip()]
        return {"error": lines[-1][:300] if lines else f"exit {proc.returncode}"}
    rec = json.loads(stdout.strip().splitlines()[-1])
    return {"seconds": rec["seconds"], "cpu_seconds": rec.get("cpu_seconds"), "wall": wall}


def peer_result(a, m, data, eps, seed, real, n, tmp):
    """The peer's record for one cell: from --peers-from DIR when given, else a fresh run (kept in
    --keep DIR when given, and reused from there if already kept)."""
    stem = peer_stem(m, data, eps, seed)
    r = {"tool": PEERS[m][0], "data": data, "method": PEERS[m][1], "eps": eps, "seed": seed}
    src = pathlib.Path(a.peers_from or a.keep or tmp)
    meta, csv = src / f"{stem}.json", src / f"{stem}.csv"
    if meta.exists():
        rec = json.loads(meta.read_text())
    elif a.peers_from:
        rec = {"error": "not run (no kept result)"}
    else:
        src.mkdir(parents=True, exist_ok=True)
        rec = run_peer(m, eps, real, csv, n, seed, a.k, a.timeout)
        rec.update(n=n, when=time.strftime("%Y-%m-%d %H:%M:%S"))
        meta.write_text(json.dumps(rec) + "\n")
    r.update({k: v for k, v in rec.items()
              if k in ("seconds", "cpu_seconds", "wall", "timeout", "error")})
    if "seconds" in r and not a.peers_only:
        try:
            r["score"] = score(a.calm, real, csv)
        except subprocess.CalledProcessError as e:
            r["score_error"] = (e.stderr or "").strip()[-200:]
    return r


def fmt_ratio(a, b):
    ratio = a / max(b, 1e-9)
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def fmt_secs(r):
    if "seconds" in r:
        cpu = f" ({r['cpu_seconds']:.1f})" if r.get("cpu_seconds") is not None else ""
        return f"{r['seconds']:.1f}{cpu}"
    if "timeout" in r:
        return f"> {r['timeout']:g}"
    return ""


def fmt_score(r):
    if "score" in r:
        return f"{r['score']:.4f}"
    if "timeout" in r:
        return "timeout"
    err = r.get("error", r.get("score_error", "")).strip().splitlines()
    return (err[-1] if err else "")[:80].replace("|", "/")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", nargs="+", default=["telco_churn", "credit_data", "diamonds"])
    ap.add_argument("--eps", nargs="+", type=float, default=[1.0])
    ap.add_argument("--seeds", nargs="+", type=int, default=[1])
    ap.add_argument("--methods", nargs="+", default=CALM_METHODS)
    ap.add_argument("--calm", default=str(ROOT / "build/calm"))
    ap.add_argument("--calm-only", action="store_true")
    ap.add_argument("--public-bounds", action="store_true",
                    help="give calm the observed numeric ranges as public (as DataSynthesizer)")
    ap.add_argument("--public-categories", action="store_true",
                    help="give calm the observed categories as public (as the peers treat them)")
    ap.add_argument("--peers-only", action="store_true",
                    help="run only the peers (no calm needed); use with --keep DIR")
    ap.add_argument("--keep", help="folder to keep the synthetic CSVs and timing JSONs in")
    ap.add_argument("--peers-from", help="score the peers from this --keep folder, run none")
    ap.add_argument("--calm-from", help="take calm's results from this --json-out file (of an "
                    "earlier run) instead of running calm again; cells missing there are run")
    ap.add_argument("--report-only", action="store_true",
                    help="run nothing: tables (and --svg) from --calm-from and --peers-from only")
    ap.add_argument("--json-out", help="also append every result as a JSON line to this file")
    ap.add_argument("--k", type=int, default=2, help="datasynth/PrivBayes degree for both tools")
    ap.add_argument("--rows", type=int, default=0, help="synthetic rows (0: as many as real)")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--svg")
    a = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp())
    keep = pathlib.Path(a.keep) if a.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    results = []
    calm_kept = {}
    if a.calm_from:
        for line in open(a.calm_from):
            r = json.loads(line)
            if r.get("tool") == "calm":
                calm_kept[(r["data"], r["method"], r["eps"], r["seed"])] = r

    def emit(r):
        print(json.dumps(r), flush=True)
        results.append(r)
        if a.json_out:
            with open(a.json_out, "a") as f:
                f.write(json.dumps(r) + "\n")

    for data in a.data:
        real = DATASETS / f"{data}.csv"
        rows = sum(1 for _ in open(real)) - 1
        n = a.rows or rows
        for eps in a.eps:
            for seed in a.seeds:
                for m in a.methods:
                    if not a.peers_only and (data, m, eps, seed) in calm_kept:
                        emit(calm_kept[(data, m, eps, seed)])
                    elif a.report_only and not a.peers_only:
                        emit({"tool": "calm", "data": data, "method": m, "eps": eps, "seed": seed,
                              "error": "not run"})
                    elif not a.peers_only:
                        outdir = keep if keep else tmp
                        out = outdir / f"calm_{m}_{data}_eps{eps:g}_seed{seed}.csv"
                        r = {"tool": "calm", "data": data, "method": m, "eps": eps, "seed": seed}
                        try:
                            sec, cpu, path = run_calm(a.calm, m, eps, real, out, n, seed, a.k,
                                                      a.public_categories, a.public_bounds)
                            r.update(seconds=sec, cpu_seconds=cpu, score=score(a.calm, real, path))
                        except subprocess.CalledProcessError as e:
                            r["error"] = (e.stderr or e.stdout or "").strip()[-300:]
                        except Exception as e:  # a crash of the scorer's JSON, a missing file
                            r["error"] = f"{type(e).__name__}: {e}"[:300]
                        emit(r)
                    if a.calm_only:
                        continue
                    if a.report_only and not a.peers_from:
                        continue
                    emit(peer_result(a, m, data, eps, seed, real, n, tmp))
    if a.peers_only:
        return 0
    print("\n| data | eps | seed | calm method | calm score | calm s (CPU s) | peer | peer score "
          "| peer s (CPU s) | speed-up wall (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if r["tool"] != "calm":
            continue
        peer = next((p for p in results if p["tool"] != "calm" and p["data"] == r["data"]
                     and p["eps"] == r["eps"] and p["seed"] == r["seed"]
                     and p["method"] == PEERS[r["method"]][1]), None)
        ps = pt = sp = ""
        if peer:
            ps, pt = fmt_score(peer), fmt_secs(peer)
            if "seconds" in r and ("seconds" in peer or "timeout" in peer):
                sp = fmt_ratio(peer.get("seconds", peer.get("timeout", 0)), r["seconds"])
                if "timeout" in peer:
                    sp = "> " + sp
                elif peer.get("cpu_seconds") and r.get("cpu_seconds"):
                    sp += f" ({fmt_ratio(peer['cpu_seconds'], r['cpu_seconds'])})"
        print(f"| {r['data']} | {r['eps']:g} | {r['seed']} | {r['method']} | {fmt_score(r)} | "
              f"{fmt_secs(r)} | {PEERS[r['method']][0]} {PEERS[r['method']][1]} | {ps} | {pt} | "
              f"{sp} |")
    if a.svg:
        write_svg(a.svg, results, a.eps)
        print_sweep(results)
    return 0


def print_sweep(results):
    """Mean (min-max) calm score over seeds for each data, method and epsilon, as a Markdown table."""
    cells = {}
    for r in results:
        if r["tool"] == "calm" and "score" in r:
            cells.setdefault((r["data"], r["method"]), {}).setdefault(r["eps"], []).append(r["score"])
    eps = sorted({e for c in cells.values() for e in c})
    print("\n| data | method | " + " | ".join(f"eps {e:g}" for e in eps) + " | rises with eps |")
    print("|---|---|" + "---|" * (len(eps) + 1))
    for (data, m), c in sorted(cells.items()):
        means = [sum(c[e]) / len(c[e]) if e in c else None for e in eps]
        txt = [f"{v:.4f} ({min(c[e]):.3f}-{max(c[e]):.3f})" if v is not None else ""
               for v, e in zip(means, eps)]
        got = [v for v in means if v is not None]
        rises = all(b >= a for a, b in zip(got, got[1:]))
        print(f"| {data} | {m} | " + " | ".join(txt) + f" | {'yes' if rises else 'NO'} |")


def write_svg(path, results, eps_values):
    import math
    series = {}
    for r in results:
        if r["tool"] == "calm" and "score" in r:
            series.setdefault(f"{r['data']} {r['method']}", {}).setdefault(r["eps"], []).append(
                r["score"])
    if not series:
        print("no calm scores: no SVG written", file=sys.stderr)
        return
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
