"""AnnData in and out of RealGenerator (docs/single_cell.md): an ``anndata.AnnData`` reads as the
engine's table view of cells (one column per gene, then the obs columns), as ``calm generate
cells.h5ad`` reads the file; ``return_anndata=True`` turns the synthetic frame back into an AnnData.

The caller's object is never modified. ``X`` is read once into the frame's gene columns (the
engine's table is columnar, so one dense copy of the expression is made; a sparse ``X`` is not
densified a second time); integral non-negative expression (counts) becomes int64 columns, as the
engine's .h5ad reader gives them. The ``anndata`` package is only imported to build an AnnData.
"""

from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np
import pandas as pd


def is_anndata(data: Any) -> bool:
    return (hasattr(data, "X") and hasattr(data, "obs") and hasattr(data, "var_names")
            and hasattr(data, "obs_names"))


def _dense(x: Any) -> np.ndarray:
    if hasattr(x, "toarray"):  # scipy.sparse matrix or array
        return x.toarray()
    return np.asarray(x)


def anndata_frame(adata: Any) -> Tuple[pd.DataFrame, List[str]]:
    """(cells frame, gene names): the genes of ``X`` then every obs column. ValueError for an
    AnnData without X, a gene named like an obs column, or an X of another shape."""
    if adata.X is None:
        raise ValueError("the AnnData has no X (expression matrix): nothing to learn from")
    genes = [str(g) for g in adata.var_names]
    clash = sorted(set(genes) & {str(c) for c in adata.obs.columns})
    if clash:
        raise ValueError(f"the AnnData has obs columns named like genes: {clash}; rename them")
    x = _dense(adata.X)
    if x.ndim != 2 or x.shape != (adata.n_obs, adata.n_vars):
        raise ValueError(f"the AnnData's X has shape {x.shape}, expected "
                         f"({adata.n_obs}, {adata.n_vars})")
    finite = np.isfinite(x).all()
    if finite and x.size and (x >= 0).all() and (np.floor(x) == x).all():
        x = x.astype(np.int64)
    elif x.dtype != np.float64:
        x = x.astype(np.float64)
    frame = pd.DataFrame(x, columns=genes)
    obs = adata.obs.reset_index(drop=True)
    for column in obs.columns:
        frame[str(column)] = obs[column].to_numpy() if not isinstance(
            obs[column].dtype, pd.CategoricalDtype) else obs[column].array
    return frame, genes


def frame_to_anndata(frame: pd.DataFrame, genes: List[str]) -> Any:
    """An AnnData of a synthetic cells frame: X (CSR, float32) from the gene columns, obs from
    the others (text as categoricals), obs_names the row numbers, var_names the genes."""
    try:
        import anndata
        from scipy import sparse
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ValueError("return_anndata=True needs the anndata package "
                         "(pip install anndata)") from e
    missing = [g for g in genes if g not in frame.columns]
    if missing:
        raise ValueError(f"the synthetic frame lacks the genes {missing[:5]}")
    x = sparse.csr_matrix(frame[genes].to_numpy(dtype=np.float32))
    obs = frame.drop(columns=genes).copy()
    for column in obs.columns:
        if obs[column].dtype == object or pd.api.types.is_string_dtype(obs[column]):
            obs[column] = obs[column].astype("category")
    obs.index = [str(i) for i in range(len(frame))]
    var = pd.DataFrame(index=pd.Index(genes, dtype=object))
    return anndata.AnnData(X=x, obs=obs, var=var)


def numeric_genes(frame: pd.DataFrame) -> List[str]:
    """Genes of a cells frame with no AnnData behind it: its numeric columns with no negative
    value (the engine's detect_gene_columns)."""
    return [str(c) for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            and not (frame[c] < 0).any()]
