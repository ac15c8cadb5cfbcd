#!/usr/bin/env python3
"""scvi-tools' SCVI and calm's `scvi` side by side on one AnnData file (issue 16's acceptance).

  bash bench/peer_env.sh scvi python bench/peers/scvi_tools.py DATA.h5ad build/calm OUTDIR \
      [--epochs 100] [--n-latent 10] [--n-layers 1] [--target cell_type] [--batch-key KEY] \
      [--threads 2] [--seed 0]

Both fit the same network sizes (n_latent, n_layers, n_hidden 128, ZINB, batch 128, lr 1e-3,
KL warm-up 400 epochs as scvi-tools' default) for the same number of epochs (early stopping off so
that both run every epoch) over the same cells (every cell each epoch: calm trains on all cells
without early stopping, so the peer gets train_size=1.0; with its default 0.9 it would pass over a
tenth fewer cells per epoch), each in a child process limited to --threads threads, then generate as
many cells as the real data has:
- scvi-tools: z ~ N(0, I), log-library from its per-batch log-normal prior (library_log_means /
  vars as scvi-tools computes them; batches drawn with the data's shares), counts sampled from the decoder's ZINB (the seed
  implementation's generation, with a learned rather than a fixed library);
- calm: `calm generate DATA -m scvi --target TARGET` (its default: latent codes from each cell
  type's Gaussian fitted to the posteriors, metadata from the nearest real cell of the type);
  with --calm-prior also `latent_sampling=prior` (z ~ N(0, I), the peer's generation).
Reported per method (JSON lines, also OUTDIR/scvi_bench.json): per-gene mean and variance Pearson
correlations on log1p(counts per 10k), overall sparsity (share of zeros) next to the real one, the
real-vs-synthetic classifier AUC on the top 20 principal components of log1p CP10k (PCA fitted on
the real cells; random forest of 200 trees, 5-fold stratified cross-validation; 0.5 = cannot tell
them apart), training seconds per epoch (time inside the epochs / epochs: scvi-tools' measured by a
Lightning callback from each epoch's start to its end (no validation pass runs without early
stopping), the whole train() call also given; calm's from its own "trained N epochs in S s" line), and peak resident memory of the child process (fit + sample).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time


def peer_child(a):
    """The scvi-tools run (in a child process, so its peak memory is its own)."""
    import resource

    import anndata
    import numpy as np
    import torch
    import scvi

    torch.set_num_threads(a.threads)
    scvi.settings.seed = a.seed
    adata = anndata.read_h5ad(a.data)
    scvi.model.SCVI.setup_anndata(adata, batch_key=a.batch_key)
    model = scvi.model.SCVI(adata, n_latent=a.n_latent, n_layers=a.n_layers, n_hidden=128,
                            gene_likelihood="zinb")
    from lightning.pytorch.callbacks import Callback

    class EpochClock(Callback):
        """Seconds inside the epochs (Lightning's setup before the first epoch left out)."""
        def __init__(self):
            self.seconds, self.start = 0.0, None

        def on_train_epoch_start(self, trainer, pl_module):
            self.start = time.time()

        def on_train_epoch_end(self, trainer, pl_module):
            self.seconds += time.time() - self.start

    clock = EpochClock()
    t0 = time.time()
    model.train(max_epochs=a.epochs, train_size=1.0, early_stopping=False, batch_size=128,
                accelerator="cpu", enable_progress_bar=False, callbacks=[clock])
    total = time.time() - t0
    seconds = clock.seconds
    epochs = len(model.history["elbo_train"])
    n = adata.n_obs
    gen = torch.Generator().manual_seed(a.seed)
    module = model.module
    # The per-batch log-normal of observed libraries (what scvi-tools fits when it models the
    # library as latent; with the default observed library it keeps none).
    from scvi.model._utils import _init_library_size
    n_batch = module.n_batch
    lib_means, lib_vars = _init_library_size(model.adata_manager, n_batch)
    with torch.no_grad():
        if a.batch_key:
            codes = adata.obs[a.batch_key].cat.codes.to_numpy()
            share = np.bincount(codes, minlength=n_batch) / n
        else:
            share = np.ones(1)
        batch = torch.multinomial(torch.tensor(share, dtype=torch.float), n, True, generator=gen)
        means = torch.tensor(lib_means[0], dtype=torch.float)[batch]
        sds = torch.tensor(lib_vars[0], dtype=torch.float)[batch].sqrt()
        library = (means + sds * torch.randn(n, generator=gen)).unsqueeze(1)
        z = torch.randn(n, a.n_latent, generator=gen)
        out = module.generative(z=z, library=library, batch_index=batch.unsqueeze(1))
        x = out["px"].sample().numpy().astype(np.float32)
    synth = anndata.AnnData(X=x, var=adata.var[[]])
    synth.write_h5ad(a.out)
    print(json.dumps({"seconds": seconds, "train_call_seconds": total, "epochs": epochs,
                      "train_cells": int(len(model.train_indices)),
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_child(cmd, env=None):
    """Runs cmd under GNU time; returns (stdout, stderr, peak RSS of that child in MB)."""
    p = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB %M"] + cmd, capture_output=True,
                       text=True, env=env)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    rss = re.findall(r"MAXRSS_KB (\d+)", p.stderr)
    return p.stdout, p.stderr, int(rss[-1]) / 1024 if rss else float("nan")


def dense_counts(path):
    import anndata
    import numpy as np
    import scipy.sparse as sp
    ad = anndata.read_h5ad(path)
    X = ad.layers["counts"] if "counts" in ad.layers else ad.X
    X = X.toarray() if sp.issparse(X) else np.asarray(X)
    return X.astype(np.float64), list(ad.var_names)


def metrics(real, synth, seed):
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    def lognorm(X):
        lib = X.sum(1, keepdims=True)
        return np.log1p(X / np.maximum(lib, 1e-12) * 1e4)

    r, s = lognorm(real), lognorm(synth)
    mean_corr = float(np.corrcoef(r.mean(0), s.mean(0))[0, 1])
    var_corr = float(np.corrcoef(r.var(0), s.var(0))[0, 1])
    centre = r.mean(0)
    _, _, vt = np.linalg.svd(r - centre, full_matrices=False)
    k = min(20, vt.shape[0])
    pcs = np.vstack([(r - centre) @ vt[:k].T, (s - centre) @ vt[:k].T])
    y = np.r_[np.zeros(len(r)), np.ones(len(s))]
    clf = RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=1)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    auc = float(cross_val_score(clf, pcs, y, cv=folds, scoring="roc_auc").mean())
    return {"mean_corr": mean_corr, "var_corr": var_corr,
            "sparsity_real": float((real == 0).mean()), "sparsity": float((synth == 0).mean()),
            "auc": auc}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("calm")
    ap.add_argument("outdir")
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--n-latent", type=int, default=10)
    ap.add_argument("--n-layers", type=int, default=1)
    ap.add_argument("--target", default=None)
    ap.add_argument("--batch-key", default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--calm-prior", action="store_true",
                    help="also run calm with latent_sampling=prior (z ~ N(0, I), as the peer)")
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    if a.child:
        return peer_child(a)
    os.makedirs(a.outdir, exist_ok=True)
    name = os.path.splitext(os.path.basename(a.data))[0]
    real, genes = dense_counts(a.data)
    n = real.shape[0]
    results = {}

    out = os.path.join(a.outdir, f"{name}_scvitools.h5ad")
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), MKL_NUM_THREADS=str(a.threads))
    cmd = [sys.executable, __file__, a.data, a.calm, a.outdir, "--child", "--out", out,
           "--epochs", str(a.epochs), "--n-latent", str(a.n_latent), "--n-layers",
           str(a.n_layers), "--threads", str(a.threads), "--seed", str(a.seed)]
    if a.batch_key:
        cmd += ["--batch-key", a.batch_key]
    stdout, _, peer_rss = run_child(cmd, env)
    peer = json.loads(stdout.strip().splitlines()[-1])
    synth, _ = dense_counts(out)
    results["scvi-tools"] = dict(metrics(real, synth, a.seed),
                                 seconds_per_epoch=peer["seconds"] / peer["epochs"],
                                 train_call_seconds=peer["train_call_seconds"],
                                 epochs=peer["epochs"], train_cells=peer["train_cells"],
                                 peak_rss_mb=peer_rss)

    for label, extra in [("calm", [])] + ([("calm prior", ["--param", "latent_sampling=prior"])]
                                          if a.calm_prior else []):
        out = os.path.join(a.outdir, f"{name}_{label.replace(' ', '_')}.h5ad")
        cmd = [a.calm, "generate", a.data, "-m", "scvi", "-n", str(n), "-o", out, "--threads",
               str(a.threads), "--seed", str(a.seed), "--log-level", "info",
               "--param", f"epochs={a.epochs}", "--param", f"n_latent={a.n_latent}",
               "--param", f"n_layers={a.n_layers}", "--param", "early_stopping=false"] + extra
        if a.target:
            cmd += ["--target", a.target]
        if a.batch_key:
            cmd += ["--param", f"batch_key={a.batch_key}"]
        t0 = time.time()
        _, err, calm_rss = run_child(cmd)
        wall = time.time() - t0
        m = re.search(r"scvi: trained (\d+) epochs in ([0-9.e+-]+) s", err)
        if not m:
            sys.stderr.write(err[-2000:])
            raise SystemExit("calm printed no training time")
        synth, synth_genes = dense_counts(out)
        if synth_genes != genes:
            raise SystemExit("calm's output genes differ from the input's")
        results[label] = dict(metrics(real, synth, a.seed),
                              seconds_per_epoch=float(m.group(2)) / int(m.group(1)),
                              epochs=int(m.group(1)), train_cells=n, peak_rss_mb=calm_rss,
                              wall_seconds=wall)
    summary = {"data": a.data, "cells": n, "genes": real.shape[1], "epochs": a.epochs,
               "n_latent": a.n_latent, "n_layers": a.n_layers, "threads": a.threads,
               "results": results}
    with open(os.path.join(a.outdir, f"{name}_scvi_bench.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
