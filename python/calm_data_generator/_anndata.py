"""AnnData in and out of RealGenerator (docs/single_cell.md). Two paths, as ``calm generate
cells.h5ad`` has:

- the table view: one column per gene, then the obs columns. ``X`` is read once into the frame's
  gene columns (one dense copy; a sparse ``X`` is not densified a second time); integral
  non-negative expression (counts) becomes int64 columns, as the engine's .h5ad reader gives them.
- the cells path, for a single-cell method (scvi, scgen) on an AnnData whose dense view would
  take CELLS_PATH_MIN_DENSE_BYTES or more, when no option defined on table rows is given: ``X``
  goes to the engine as CSR arrays (read in place when CSR with int32 indices and float32 values,
  as AnnData stores counts) and the synthetic matrix comes back sparse; only a DataFrame result
  is made dense (``return_anndata=True`` keeps it sparse).

The caller's object is never modified. The ``anndata`` package is only imported to build an
AnnData.
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


#: An AnnData whose dense table view (int64 genes) would take this many bytes or more runs a
#: single-cell method on its sparse matrix (the cells path) instead.
CELLS_PATH_MIN_DENSE_BYTES = 1 << 30


def _checked_genes(adata: Any) -> List[str]:
    """The gene names. ValueError for an AnnData without X, a gene named like an obs column, or
    an X of another shape."""
    if adata.X is None:
        raise ValueError("the AnnData has no X (expression matrix): nothing to learn from")
    genes = [str(g) for g in adata.var_names]
    clash = sorted(set(genes) & {str(c) for c in adata.obs.columns})
    if clash:
        raise ValueError(f"the AnnData has obs columns named like genes: {clash}; rename them")
    shape = getattr(adata.X, "shape", None)
    if shape is None or len(shape) != 2 or tuple(shape) != (adata.n_obs, adata.n_vars):
        raise ValueError(f"the AnnData's X has shape {shape}, expected "
                         f"({adata.n_obs}, {adata.n_vars})")
    return genes


def _obs_frame(adata: Any) -> pd.DataFrame:
    """The obs columns, row-numbered, categoricals kept (a copy: the caller's obs is untouched)."""
    obs = adata.obs.reset_index(drop=True)
    frame = pd.DataFrame(index=pd.RangeIndex(adata.n_obs))
    for column in obs.columns:
        frame[str(column)] = obs[column].to_numpy() if not isinstance(
            obs[column].dtype, pd.CategoricalDtype) else obs[column].array
    return frame


def takes_cells_path(adata: Any) -> bool:
    """Whether the AnnData is large enough for the cells path (CELLS_PATH_MIN_DENSE_BYTES)."""
    return int(adata.n_obs) * int(adata.n_vars) * 8 >= CELLS_PATH_MIN_DENSE_BYTES


def anndata_csr(adata: Any) -> Tuple[Any, List[str], pd.DataFrame]:
    """(X as a scipy CSR matrix, gene names, obs frame) for the cells path: a CSR ``X`` as it is,
    a CSC or dense one converted to CSR (a sparse copy)."""
    from scipy import sparse
    genes = _checked_genes(adata)
    x = adata.X
    if not (sparse.issparse(x) and x.format == "csr"):
        x = sparse.csr_matrix(x)
    return x, genes, _obs_frame(adata)


def cells_frame(x: Any, genes: List[str], integer: bool, obs: pd.DataFrame) -> pd.DataFrame:
    """The DataFrame of a synthetic cells matrix: one column per gene (int64 counts when
    ``integer``, else float64), then the obs columns -- what the table view returns."""
    dense = x.toarray().astype(np.int64 if integer else np.float64, copy=False)
    frame = pd.DataFrame(dense, columns=genes, copy=False)
    for column in obs.columns:
        frame[column] = obs[column]
    return frame


def anndata_frame(adata: Any) -> Tuple[pd.DataFrame, List[str]]:
    """(cells frame, gene names): the genes of ``X`` then every obs column. ValueError for an
    AnnData without X, a gene named like an obs column, or an X of another shape."""
    genes = _checked_genes(adata)
    x = _dense(adata.X)
    finite = np.isfinite(x).all()
    if finite and x.size and (x >= 0).all() and (np.floor(x) == x).all():
        x = x.astype(np.int64)
    elif x.dtype != np.float64:
        x = x.astype(np.float64)
    frame = pd.DataFrame(x, columns=genes)
    obs = _obs_frame(adata)
    for column in obs.columns:
        frame[column] = obs[column]
    return frame, genes


def frame_to_anndata(frame: pd.DataFrame, genes: List[str]) -> Any:
    """An AnnData of a synthetic cells frame: X (CSR, float32) from the gene columns, obs from
    the others (text as categoricals), obs_names the row numbers, var_names the genes."""
    try:
        from scipy import sparse
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ValueError("return_anndata=True needs the anndata package "
                         "(pip install anndata)") from e
    missing = [g for g in genes if g not in frame.columns]
    if missing:
        raise ValueError(f"the synthetic frame lacks the genes {missing[:5]}")
    x = sparse.csr_matrix(frame[genes].to_numpy(dtype=np.float32))
    return cells_to_anndata(x, frame.drop(columns=genes), genes)


def cells_to_anndata(x: Any, obs: pd.DataFrame, genes: List[str]) -> Any:
    """An AnnData of a synthetic CSR matrix (float32) and its obs frame: text obs columns as
    categoricals, obs_names the row numbers, var_names the genes."""
    try:
        import anndata
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ValueError("return_anndata=True needs the anndata package "
                         "(pip install anndata)") from e
    obs = obs.copy()
    for column in obs.columns:
        if obs[column].dtype == object or pd.api.types.is_string_dtype(obs[column]):
            obs[column] = obs[column].astype("category")
    obs.index = [str(i) for i in range(x.shape[0])]
    var = pd.DataFrame(index=pd.Index(genes, dtype=object))
    return anndata.AnnData(X=x, obs=obs, var=var)


def numeric_genes(frame: pd.DataFrame) -> List[str]:
    """Genes of a cells frame with no AnnData behind it: its numeric columns with no negative
    value (the engine's detect_gene_columns)."""
    return [str(c) for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            and not (frame[c] < 0).any()]
