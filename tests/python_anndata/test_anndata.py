"""AnnData through the Python front end and the CLI, with the real anndata package (in the
anndata venv that scripts/test_python.sh makes with bench/peer_env.sh; anndata never enters the
tests' interpreter): generate(data=adata) reads the cells as the .h5ad file reads, never touches
the caller's object, and returns the seed's DataFrame of genes + obs, or with
return_anndata=True an AnnData of the same layout; `calm generate cells.h5ad -o out.h5ad` writes
a file anndata opens with the same var names and obs columns, sparse and integral."""

import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

anndata = pytest.importorskip("anndata")  # the venv has it; a bare interpreter skips
# A file calm writes must read as current anndata writes them (no old-format warning).
pytestmark = pytest.mark.filterwarnings("error::anndata.OldFormatWarning")

from calm_data_generator import methods, read_table  # noqa: E402
from calm_data_generator.generators.tabular import RealGenerator  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PBMC = REPO.parent / "shared" / "datasets" / "pbmc_small.h5ad"
CLI = os.environ.get("CALM_CLI", str(REPO / "build" / "calm"))
SINGLE_CELL = {m["name"] for m in methods() if m["available"] and m["family"] == "single-cell"}


@pytest.fixture(scope="module")
def cells():
    if not PBMC.exists():
        pytest.skip(f"{PBMC} not found")
    return anndata.read_h5ad(PBMC)


def test_anndata_input_reads_as_the_file_and_is_left_untouched(cells):
    before_x = cells.X.copy()
    before_obs = cells.obs.copy()
    gen = RealGenerator(auto_report=False, random_state=3)
    out = gen.generate(cells, n_samples=60, method="gaussian_copula")
    assert list(out.columns) == list(read_table(PBMC).columns)
    assert list(out.columns[:cells.n_vars]) == list(cells.var_names)
    assert all(out[g].dtype == np.int64 for g in cells.var_names[:20])  # counts stay integral
    assert (out[list(cells.var_names)].to_numpy() >= 0).all()
    assert (cells.X != before_x).nnz == 0 if hasattr(cells.X, "nnz") else (cells.X == before_x).all()
    pd.testing.assert_frame_equal(cells.obs, before_obs)
    again = RealGenerator(auto_report=False, random_state=3).generate(
        str(PBMC), n_samples=60, method="gaussian_copula")
    pd.testing.assert_frame_equal(out[list(cells.var_names)], again[list(cells.var_names)])


def test_return_anndata_gives_the_same_layout(cells, tmp_path):
    gen = RealGenerator(auto_report=False, random_state=1)
    out = gen.generate(cells, n_samples=50, method="gaussian_copula", return_anndata=True)
    assert isinstance(out, anndata.AnnData)
    assert out.shape == (50, cells.n_vars)
    assert list(out.var_names) == list(cells.var_names)
    assert list(out.obs.columns) == list(cells.obs.columns)
    x = out.X.toarray()
    assert (x >= 0).all() and (np.floor(x) == x).all()
    out.write_h5ad(tmp_path / "out.h5ad")
    back = read_table(tmp_path / "out.h5ad")
    assert list(back.columns[:cells.n_vars]) == list(cells.var_names)
    with pytest.raises(TypeError, match="return_anndata"):
        gen.generate(cells, n_samples=5, method="gaussian_copula", return_anndata="yes")


def test_cli_h5ad_output_opens_in_anndata(tmp_path):
    if not PBMC.exists():
        pytest.skip(f"{PBMC} not found")
    target = tmp_path / "synthetic.h5ad"
    subprocess.run([CLI, "generate", str(PBMC), "-n", "70", "-m", "gaussian_copula", "--seed", "2",
                    "-q", "-o", str(target)], check=True)
    out = anndata.read_h5ad(target)
    real = anndata.read_h5ad(PBMC)
    assert out.n_obs == 70
    assert list(out.var_names) == list(real.var_names)
    assert list(out.obs.columns) == list(real.obs.columns)
    assert hasattr(out.X, "indptr")  # sparse stays sparse
    x = out.X.toarray()
    assert (x >= 0).all() and (np.floor(x) == x).all()
    sparsity = lambda m: float((m == 0).mean())  # noqa: E731
    assert abs(sparsity(x) - sparsity(real.X.toarray())) < 0.05


@pytest.mark.parametrize("method", sorted(SINGLE_CELL) or [pytest.param("scvi", marks=pytest.mark.skip(
    reason="no single-cell method built"))])
def test_single_cell_methods_return_cells(cells, method):
    params = {"epochs": 5}
    if method == "scgen":
        params["condition_col"] = "group"
    out = RealGenerator(auto_report=False, random_state=4).generate(
        cells, n_samples=40, method=method, target_col="cell_type", model_params=params,
        return_anndata=True)
    assert list(out.var_names) == list(cells.var_names)
    x = out.X.toarray()
    assert (x >= 0).all() and (np.floor(x) == x).all()


@pytest.mark.parametrize("method", sorted(SINGLE_CELL) or [pytest.param("scvi", marks=pytest.mark.skip(
    reason="no single-cell method built"))])
def test_large_anndata_runs_on_the_sparse_matrix(cells, method, monkeypatch):
    """An AnnData past CELLS_PATH_MIN_DENSE_BYTES goes to the engine as CSR arrays: the same
    seed gives exactly the table view's cells, the caller's object is untouched, return_anndata
    stays sparse, and save() says why there is no model."""
    import calm_data_generator._anndata as adapter
    params = {"epochs": 3}
    if method == "scgen":
        params["condition_col"] = "group"
    kwargs = dict(n_samples=45, method=method, target_col="cell_type", model_params=params)
    table_view = RealGenerator(auto_report=False, random_state=6).generate(cells, **kwargs)
    before_x, before_obs = cells.X.copy(), cells.obs.copy()
    monkeypatch.setattr(adapter, "CELLS_PATH_MIN_DENSE_BYTES", 0)
    gen = RealGenerator(auto_report=False, random_state=6)
    on_cells = gen.generate(cells, **kwargs)
    pd.testing.assert_frame_equal(on_cells, table_view)
    assert (cells.X != before_x).nnz == 0
    pd.testing.assert_frame_equal(cells.obs, before_obs)
    with pytest.raises(ValueError, match="Large AnnData files"):
        gen.save("unused.calm")
    sparse_out = gen.generate(cells, return_anndata=True, **kwargs)
    assert hasattr(sparse_out.X, "indptr")
    assert list(sparse_out.var_names) == list(cells.var_names)
    assert list(sparse_out.obs.columns) == list(cells.obs.columns)
    np.testing.assert_array_equal(sparse_out.X.toarray(),
                                  table_view[list(cells.var_names)].to_numpy())
    # A CSC matrix and a dense one take the same path (converted to CSR, a sparse copy).
    for x in (cells.X.tocsc(), cells.X.toarray()):
        other = anndata.AnnData(X=x, obs=cells.obs.copy(), var=cells.var.copy())
        again = RealGenerator(auto_report=False, random_state=6).generate(other, **kwargs)
        pd.testing.assert_frame_equal(again, table_view)
    # An option defined on table rows keeps the table view (no error, a model to save).
    kept = RealGenerator(auto_report=False, random_state=6)
    kept.generate(cells, fit_rows=cells.n_obs, **kwargs)
    assert kept._model is not None
