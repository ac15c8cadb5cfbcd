"""Sequence methods through the Python front end: copula_temporal, par, timegan and dgan on
pbc_longitudinal (key `id`, time `day`) give whole entities with fresh keys, visit days in order
and within `futime`, the input's dtypes, and the same frame for the same random_state; AnnData
input reads as the same cells as the CSV; the sequence metrics and report through Python."""

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


@pytest.mark.parametrize("method,params", [
    ("copula_temporal", {}),
    pytest.param("par", {"epochs": 3}, marks=requires("par")),
    pytest.param("timegan", {"epochs": 3, "hidden_dim": 8, "num_layers": 1},
                 marks=requires("timegan")),
    pytest.param("dgan", {"epochs": 3}, marks=requires("dgan")),
])
def test_sequence_methods_give_ordered_entities(pbc, method, params):
    out = run(pbc, method, 30, 4, **params)
    if method in ("par", "timegan", "dgan"):  # n_samples counts entities
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


def test_sequence_metrics_and_report_through_python(pbc, tmp_path):
    from calm_data_generator.reports.quality import QualityReporter
    synth = run(pbc, "copula_temporal", 1500, 2)
    reporter = QualityReporter(verbose=False)
    m = reporter.calculate_sequence_metrics(pbc, synth, "id", time_col="day")
    assert 0.85 <= m["row_quality"] <= 1.0
    assert 0.85 <= m["length_similarity"] <= 1.0
    assert 0.4 <= m["discriminative_auc"] <= 1.0
    assert m["context_sequence_consistency"] == pytest.approx(1.0)
    # The real table itself is what replaying looks like: same lengths, and the forest's
    # out-of-fold AUC falls well below 0.5 (each synthetic sequence has a real twin).
    copy = reporter.calculate_sequence_metrics(pbc, pbc, "id", time_col="day")
    assert copy["length_similarity"] == 1.0
    assert copy["discriminative_auc"] < 0.4
    with pytest.raises(ValueError, match="no column 'visit'"):
        reporter.calculate_sequence_metrics(pbc, synth, "id", time_col="visit")
    reporter.generate_comprehensive_report(pbc, synth, "seq", str(tmp_path), time_col="day",
                                           sequence_key="id")
    report = (tmp_path / "sdv_quality_report.json").read_text()
    assert '"discriminative_auc"' in report
    assert "Trajectories of bili" in (tmp_path / "comparison_report.html").read_text()
