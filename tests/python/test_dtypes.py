"""pandas in, pandas out: every supported dtype comes back as itself, with its values.

`resample` copies whole real rows, so with a unique `row_id` column each synthetic row can be
matched to the real row it came from and compared cell by cell, missing values included.
"""

import numpy as np
import pandas as pd
import pytest

from calm_data_generator.generators.tabular import RealGenerator

N = 60


def typed_frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    i = np.arange(N)
    gaps = i % 7 == 3
    frame = pd.DataFrame({
        "row_id": i.astype(np.int64) * 11,
        "f64": np.where(gaps, np.nan, rng.normal(size=N)),
        "f32": rng.normal(size=N).astype(np.float32),
        "i64": rng.integers(-1000, 1000, size=N),
        "i32": rng.integers(0, 50, size=N).astype(np.int32),
        "u8": rng.integers(0, 200, size=N).astype(np.uint8),
        "Int64": pd.array(np.where(gaps, None, i * 3), dtype="Int64"),
        "Float64": pd.array(np.where(gaps, None, i / 4), dtype="Float64"),
        "bool": i % 3 == 0,
        "boolean": pd.array(np.where(gaps, None, i % 2 == 0), dtype="boolean"),
        "category": pd.Categorical(np.where(gaps, None, np.array(["lo", "mid", "hi"])[i % 3]),
                                   categories=["lo", "mid", "hi", "unused"], ordered=True),
        "int_category": pd.Categorical(i % 4 * 10),
        "object": np.where(gaps, None, np.array(["red", "green", "blue", "x,y"])[i % 4]).astype(object),
        "mixed_object": pd.Series([1, "1.5", 2.5, "x", None] * (N // 5), dtype=object),
        "string": pd.array(np.where(gaps, None, np.array(["α", "β"])[i % 2]), dtype="string"),
        "datetime": pd.Series(pd.date_range("2024-01-01", periods=N, freq="17h")).where(~gaps),
        "datetime_tz": pd.date_range("2024-03-30", periods=N, freq="h", tz="Europe/Madrid"),
        "datetime_s": pd.Series(pd.date_range("2020-01-01", periods=N, freq="D")).astype(
            "datetime64[s]"),
        "datetime_us": pd.Series(pd.date_range("2021-05-01", periods=N, freq="7min")).astype(
            "datetime64[us]"),
        "datetime_ms": pd.Series(pd.date_range("2022-02-01", periods=N, freq="s")).astype(
            "datetime64[ms]"),
        "timedelta": pd.to_timedelta(i, unit="min"),
    })
    return frame


@pytest.fixture(scope="module")
def round_trip():
    real = typed_frame()
    synth = RealGenerator(auto_report=False, random_state=5).generate(real, 200, method="resample")
    return real, synth


def test_same_columns_in_the_same_order(round_trip):
    real, synth = round_trip
    assert list(synth.columns) == list(real.columns)
    assert isinstance(synth.index, pd.RangeIndex) and len(synth) == 200


@pytest.mark.parametrize("column", list(typed_frame().columns))
def test_dtype_is_kept(round_trip, column):
    real, synth = round_trip
    assert synth[column].dtype == real[column].dtype, column


@pytest.mark.parametrize("column", list(typed_frame().columns))
def test_values_are_the_source_rows(round_trip, column):
    real, synth = round_trip
    source = real.set_index("row_id").loc[synth["row_id"], :].reset_index()
    expected = source[column]
    got = synth[column]
    assert (got.isna().to_numpy() == expected.isna().to_numpy()).all(), column
    present = ~expected.isna().to_numpy()
    for a, b in zip(got[present].tolist(), expected[present].tolist()):
        assert a == b and type(a) is type(b), (column, a, b)


def test_category_keeps_categories_and_order(round_trip):
    real, synth = round_trip
    assert list(synth["category"].cat.categories) == ["lo", "mid", "hi", "unused"]
    assert synth["category"].cat.ordered
    assert list(synth["int_category"].cat.categories) == [0, 10, 20, 30]


def test_time_zone_is_kept(round_trip):
    real, synth = round_trip
    assert str(synth["datetime_tz"].dt.tz) == "Europe/Madrid"


def test_input_frame_is_not_modified():
    real = typed_frame()
    before = real.copy()
    RealGenerator(auto_report=False, random_state=1).generate(real, 10, method="resample")
    pd.testing.assert_frame_equal(real, before)


def test_non_default_index_and_integer_labels():
    real = pd.DataFrame(np.arange(40.0).reshape(20, 2), index=np.arange(100, 120))
    synth = RealGenerator(auto_report=False, random_state=1).generate(real, 7, method="resample")
    assert list(synth.columns) == [0, 1]
    assert isinstance(synth.index, pd.RangeIndex) and len(synth) == 7


def test_numpy_array_input():
    array = np.random.default_rng(0).normal(size=(100, 3))
    synth = RealGenerator(auto_report=False, random_state=2).generate(
        array, 50, method="gaussian_copula")
    assert list(synth.columns) == [0, 1, 2]
    assert (synth.dtypes == np.float64).all() and len(synth) == 50


def test_csv_path_input(tmp_path):
    real = pd.DataFrame({"a": range(30), "b": ["x", "y", "z"] * 10})
    path = tmp_path / "in.csv"
    real.to_csv(path, index=False)
    synth = RealGenerator(auto_report=False, random_state=2).generate(str(path), 12,
                                                                     method="resample")
    assert list(synth.columns) == ["a", "b"] and len(synth) == 12
    # text as pandas itself reads it: object before pandas 3, str from pandas 3
    assert synth["a"].dtype == np.int64 and synth["b"].dtype == pd.read_csv(path)["b"].dtype
    assert set(synth["b"]) <= {"x", "y", "z"}


def test_duplicate_column_names_are_refused():
    real = pd.DataFrame([[1.0, 2.0]] * 5, columns=["a", "a"])
    with pytest.raises(ValueError, match="duplicate"):
        RealGenerator(auto_report=False).generate(real, 3, method="resample")
