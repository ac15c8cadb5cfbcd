#!/usr/bin/env python3
"""Peak memory and time of RealGenerator.generate(data=adata) on an AnnData whose table view is
large: the cells path (X's CSR arrays to the engine) against the table view (the dense frame the
front end built before). One path per process, so ru_maxrss is that path's peak.

Usage (in the anndata venv; the package on PYTHONPATH):
  PYTHONPATH=build/python bash bench/peer_env.sh anndata python bench/bench_python_cells.py \
      CELLS.h5ad {cells|table} [EPOCHS]
Makes CELLS.h5ad with bench/sim_single_cell.py; prints one JSON line.
"""
import json
import resource
import sys
import time

import anndata
import numpy as np

import calm_data_generator._anndata as adapter
from calm_data_generator.generators.tabular import RealGenerator


def main():
    path, path_kind = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    adata = anndata.read_h5ad(path)
    read_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    adapter.CELLS_PATH_MIN_DENSE_BYTES = 0 if path_kind == "cells" else 1 << 62
    t0 = time.perf_counter()
    out = RealGenerator(auto_report=False, random_state=1).generate(
        adata, n_samples=adata.n_obs, method="scvi", target_col="cell_type",
        model_params={"epochs": epochs}, return_anndata=True)
    wall = time.perf_counter() - t0
    x = out.X
    print(json.dumps({
        "path": path_kind, "cells": adata.n_obs, "genes": adata.n_vars,
        "stored": int(adata.X.nnz), "epochs": epochs, "wall_s": round(wall, 1),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
        "rss_after_read_gb": round(read_rss, 2),
        "sparsity_real": round(1 - adata.X.nnz / np.prod(adata.shape), 4),
        "sparsity_synthetic": round(1 - x.nnz / np.prod(x.shape), 4)}))


if __name__ == "__main__":
    main()
