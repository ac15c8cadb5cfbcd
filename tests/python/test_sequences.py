"""Sequence methods through the Python front end: copula_temporal and par on pbc_longitudinal
(key `id`, time `day`) give whole entities with fresh keys, visit days in order and within
`futime`, the input's dtypes, and the same frame for the same random_state; AnnData input reads
as the same cells as the CSV."""

import pandas as pd
import pytest

from calm_data_generator import read_table
from calm_data_generator.generators.tabular import RealGenerator

from conftest import DATASETS, dataset, requires


@pytest.fixture(scope="module")
def pbc() -> pd.DataFrame:
    return dataset("pbc_longitudinal.csv")


def run(pbc: pd.DataFrame, method: str, n: int, seed: int, **params) -> pd.DataFrame:
    gen = RealGenerator(auto_report=False, random_state=seed)
    return gen.generate(pbc, n_samples=n, method=method,
                        model_params={"sequence_key": "id", "time_col": "day", **params})


@pytest.mark.parametrize("method,params", [("copula_temporal", {}),
                                           pytest.param("par", {"epochs": 3},
                                                        marks=requires("par"))])
def test_sequence_methods_give_ordered_entities(pbc, method, params):
    out = run(pbc, method, 30, 4, **params)
    if method == "par":  # n_samples counts entities
        assert out["id"].nunique() == 30
    assert list(out.columns) == list(pbc.columns)
    assert list(out.dtypes) == list(pbc.dtypes)
    for _, visits in out.groupby("id", sort=False):
        assert visits["day"].is_monotonic_increasing
        assert (visits["day"] <= visits["futime"]).all()
    again = run(pbc, method, 30, 4, **params)
    pd.testing.assert_frame_equal(out, again)


def test_anndata_file_reads_as_the_csv_of_the_same_cells():
    csv = dataset("pbmc_small_counts.csv")
    cells = read_table(DATASETS / "pbmc_small.h5ad")
    assert list(cells.columns) == list(csv.columns)
    assert (cells["MS4A1"].to_numpy() == csv["MS4A1"].to_numpy()).all()
    assert (cells["group"].astype(str).to_numpy() == csv["group"].astype(str).to_numpy()).all()
