"""RealBlockGenerator from Python: one model per block, counts per block, the seed's call form."""
import pathlib

import pandas as pd
import pytest

from calm_data_generator.generators.tabular import RealBlockGenerator

DATA = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


@pytest.fixture(scope="module")
def penguins():
    path = DATA / "penguins.csv"
    if not path.exists():
        pytest.skip("needs ../shared/datasets")
    return pd.read_csv(path)


def test_seed_call_keeps_block_sizes_and_values(penguins):
    out = RealBlockGenerator(auto_report=False, random_state=3).generate(
        penguins, block_column="island", method="cart")
    assert list(out.columns) == list(penguins.columns)
    assert len(out) == len(penguins)
    assert out["island"].value_counts().to_dict() == penguins["island"].value_counts().to_dict()


def test_counts_per_block_and_determinism(penguins):
    gen = RealBlockGenerator(auto_report=False, random_state=9)
    sizes = {"Biscoe": 50, "Dream": 30, "Torgersen": 20}
    a = gen.generate(penguins, block_column="island", n_samples_per_block=sizes, method="resample")
    b = RealBlockGenerator(auto_report=False, random_state=9).generate(
        penguins, block_column="island", n_samples_per_block=sizes, method="resample")
    assert a["island"].value_counts().to_dict() == sizes
    pd.testing.assert_frame_equal(a, b)
    # Each block's rows come from that block's real rows only (resample copies rows).
    for island, group in a.groupby("island"):
        real_species = set(penguins.loc[penguins.island == island, "species"])
        assert set(group["species"]) <= real_species


def test_unknown_block_column_is_a_value_error(penguins):
    with pytest.raises(ValueError, match="block_column"):
        RealBlockGenerator(auto_report=False).generate(penguins, block_column="nope")


def test_report_folder_per_block_and_combined(penguins, tmp_path):
    RealBlockGenerator(minimal_report=True, random_state=5).generate(
        penguins, block_column="island", method="resample", output_dir=str(tmp_path))
    assert (tmp_path / "comparison_report.html").exists()
    for island in sorted(penguins["island"].unique()):
        folder = tmp_path / "blocks" / island
        assert (folder / "comparison_report.html").exists(), folder
        assert (folder / "sdv_quality_report.json").exists(), folder
