#!/usr/bin/env python3
"""Simulated single-cell counts for the scvi / scgen benchmark (bench/peers/scvi_tools.py).

Usage (in a venv with numpy, scipy, anndata, e.g. the `scvi` peer venv):
  bash bench/peer_env.sh scvi python bench/sim_single_cell.py OUT.h5ad [CELLS] [GENES] [SEED]
Defaults: 10000 cells x 2000 genes, seed 0.

The model (a gamma-Poisson, i.e. negative-binomial, simulator in the spirit of Splatter):
- gene base shares: log-normal (mu -1, sd 1.5), normalised to sum to 1;
- 6 cell types with shares 0.30 0.25 0.15 0.12 0.10 0.08; each type up-regulates 5% of the
  genes by exp(N(1.5, 0.5)) and down-regulates 2% by exp(-N(1.5, 0.5)) (its expression program);
- 2 batches (obs "batch", half the cells each) with a per-gene log-normal (sd 0.1) batch factor;
- library sizes log-normal: log L ~ N(log 2500 + 0.2 x type index / 5, 0.35);
- counts: x ~ Poisson(Gamma(shape theta_g, scale mu / theta_g)) with mu = L x share, per-gene
  inverse dispersion theta_g log-normal around 2 (sd 0.5).
X is written as CSR float32 (whole numbers); obs has cell_type and batch (categoricals).
"""
import sys

import anndata
import numpy as np
import pandas as pd
import scipy.sparse as sp


def simulate(cells=10000, genes=2000, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.lognormal(-1.0, 1.5, genes)
    type_share = np.array([0.30, 0.25, 0.15, 0.12, 0.10, 0.08])
    T = len(type_share)
    programs = np.ones((T, genes))
    for t in range(T):
        up = rng.choice(genes, int(0.05 * genes), replace=False)
        programs[t, up] *= np.exp(rng.normal(1.5, 0.5, up.size))
        rest = np.setdiff1d(np.arange(genes), up)
        down = rng.choice(rest, int(0.02 * genes), replace=False)
        programs[t, down] *= np.exp(-rng.normal(1.5, 0.5, down.size))
    batch_factor = np.exp(rng.normal(0, 0.1, (2, genes)))
    theta = rng.lognormal(np.log(2.0), 0.5, genes)
    cell_type = rng.choice(T, cells, p=type_share)
    batch = rng.integers(0, 2, cells)
    lib = np.exp(rng.normal(np.log(2500) + 0.2 * cell_type / 5, 0.35))
    rows = []
    for start in range(0, cells, 1000):
        sl = slice(start, min(cells, start + 1000))
        share = base[None, :] * programs[cell_type[sl]] * batch_factor[batch[sl]]
        share /= share.sum(1, keepdims=True)
        mu = lib[sl, None] * share
        lam = rng.gamma(theta[None, :], mu / theta[None, :])
        rows.append(sp.csr_matrix(rng.poisson(lam).astype(np.float32)))
    X = sp.vstack(rows).tocsr()
    obs = pd.DataFrame({
        "cell_type": pd.Categorical([f"type{t}" for t in cell_type]),
        "batch": pd.Categorical([f"b{b}" for b in batch]),
    }, index=[f"cell{i}" for i in range(cells)])
    var = pd.DataFrame(index=[f"gene{g}" for g in range(genes)])
    return anndata.AnnData(X=X, obs=obs, var=var)


if __name__ == "__main__":
    out = sys.argv[1]
    cells = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    genes = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    simulate(cells, genes, seed).write_h5ad(out)
