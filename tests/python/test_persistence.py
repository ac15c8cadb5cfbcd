"""RealGenerator.save / RealGenerator.load (docs/persistence.md): a saved generator samples the
same rows as the one that fitted it, keeps the training frame's dtypes, runs post-processing, and
bad files fail with FileNotFoundError / ValueError naming the file."""

import pandas as pd
import pytest

from calm_data_generator.generators.tabular import RealGenerator


def mixed_frame() -> pd.DataFrame:
    n = 150
    return pd.DataFrame({
        "x": [round((i * 37 % 101) / 10.0, 1) for i in range(n)],
        "count": pd.array([i % 9 if i % 13 else None for i in range(n)], dtype="Int64"),
        "colour": pd.Categorical([["red", "green", "blue"][i % 3] for i in range(n)],
                                 categories=["red", "green", "blue"]),
        "flag": [i % 4 == 0 for i in range(n)],
        "when": pd.to_datetime("2024-01-01") + pd.to_timedelta([i % 30 for i in range(n)], "D"),
        "label": ["yes" if i % 3 == 0 else "no" for i in range(n)],
    })


@pytest.mark.parametrize("method", ["resample", "gaussian_copula", "gmm"])
def test_loaded_generator_reproduces_the_fitted_one(tmp_path, method):
    data = mixed_frame()
    gen = RealGenerator(auto_report=False, random_state=3)
    first = gen.generate(data, n_samples=200, method=method, target_col="label")
    path = tmp_path / "sub" / "model.calm"  # the parent folder is created
    gen.save(path)
    loaded = RealGenerator.load(path)
    assert loaded.random_state == 3 and loaded.auto_report is False  # saved settings come back
    again = loaded.generate(data=None, n_samples=200)
    pd.testing.assert_frame_equal(again, first)  # same seed: the original run's rows, same dtypes
    assert list(again.dtypes) == list(data.dtypes)
    other = RealGenerator.load(path, random_state=4).generate(data=None, n_samples=200)
    assert not other.equals(first)


def test_post_processing_on_a_loaded_generator(tmp_path):
    data = mixed_frame()
    gen = RealGenerator(auto_report=False, random_state=1)
    gen.generate(data, n_samples=10, method="gaussian_copula", target_col="label")
    gen.save(tmp_path / "m.calm")
    loaded = RealGenerator.load(tmp_path / "m.calm")
    out = loaded.generate(None, n_samples=300, custom_distributions={"label": {"yes": 0.5, "no": 0.5}},
                          constraints=[{"type": "range", "col": "x", "min": 1, "max": 8}],
                          date_start="2025-01-01", output_dir=tmp_path / "out",
                          save_dataset=True)
    assert len(out) == 300
    assert (out["label"] == "yes").sum() == 150
    assert out["x"].between(1, 8).all()
    assert "timestamp" in out.columns
    assert [p.endswith("RealGenerator_synthetic.csv") for p in loaded.last_files] == [True]


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="nothing to save"):
        RealGenerator().save(tmp_path / "m.calm")
    with pytest.raises(ValueError, match="no fitted model"):
        RealGenerator().generate(None, n_samples=5)
    with pytest.raises(FileNotFoundError, match="missing.calm"):
        RealGenerator.load(tmp_path / "missing.calm")
    csv = tmp_path / "table.csv"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a calm model file"):
        RealGenerator.load(csv)
    gen = RealGenerator(auto_report=False, random_state=1)
    gen.generate(mixed_frame(), n_samples=10, method="resample")
    gen.save(tmp_path / "m.calm")
    blob = (tmp_path / "m.calm").read_bytes()
    (tmp_path / "cut.calm").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ValueError, match="cut.calm"):
        RealGenerator.load(tmp_path / "cut.calm")
    loaded = RealGenerator.load(tmp_path / "m.calm")
    with pytest.raises(ValueError, match="fitted 'resample' model"):
        loaded.generate(None, 5, method="gaussian_copula")
    with pytest.raises(ValueError, match="n_samples"):
        loaded.generate(None, n_samples=0)
