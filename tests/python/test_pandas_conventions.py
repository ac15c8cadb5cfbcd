"""The installed pandas' own conventions for what calm makes itself (python/README.md, "dtypes"):
tables calm read from a CSV path and columns it adds come back as pandas would give them (text as
``object`` before pandas 3 and ``str`` from pandas 3; parsed dates at pandas' default resolution),
while a column of the caller's frame keeps the caller's dtype, an ``object`` column of strings too.
The suite runs under the oldest supported pandas and the newest (scripts/test_python.sh)."""

import numpy as np
import pandas as pd

import calm_data_generator
from calm_data_generator.generators.tabular import RealGenerator
from calm_data_generator.generators.tabular.real_generator import _infos_from_json


def _csv(tmp_path):
    path = tmp_path / "typed.csv"
    path.write_text("n,x,word,gappy,flag,day,stamp\n" + "".join(
        f"{i},{i / 4},{'abc'[i % 3]},{'' if i % 4 == 0 else 'qr'[i % 2]},{'True' if i % 2 else 'False'},"
        f"2024-01-{1 + i % 28:02d},2024-03-01 {i % 24:02d}:15:00\n" for i in range(40)))
    return path


def test_csv_columns_have_the_dtypes_pd_read_csv_gives(tmp_path):
    path = _csv(tmp_path)
    expected = pd.read_csv(path, parse_dates=["day", "stamp"]).dtypes
    direct = calm_data_generator.read_csv(path)
    synth = RealGenerator(auto_report=False, random_state=3).generate(str(path), 25,
                                                                     method="resample")
    for frame in (direct, synth):
        assert frame.dtypes.to_dict() == expected.to_dict()
    assert direct["gappy"].isna().sum() == 10 and set(direct["gappy"].dropna()) == {"q", "r"}


def test_an_object_column_of_strings_stays_object():
    real = pd.DataFrame({"word": pd.Series(["a", "b", None, "c"] * 10, dtype=object),
                         "n": np.arange(40)})
    synth = RealGenerator(auto_report=False, random_state=1).generate(real, 30, method="resample")
    assert synth["word"].dtype == object
    assert set(synth["word"].dropna()) <= {"a", "b", "c"} and synth["word"].isna().any()


def test_the_default_string_dtype_of_the_installed_pandas_is_kept():
    real = pd.DataFrame({"word": ["a", "b", "c", None] * 10, "n": np.arange(40)})
    synth = RealGenerator(auto_report=False, random_state=1).generate(real, 30, method="resample")
    assert synth["word"].dtype == real["word"].dtype == pd.Series(["a"]).dtype


def test_an_added_date_column_has_pandas_default_resolution():
    real = pd.DataFrame({"n": np.arange(20)})
    synth = RealGenerator(auto_report=False, random_state=1).generate(
        real, 5, method="resample", date_col="when", date_start="2024-06-01 10:00:00",
        date_step={"hours": 1})
    assert synth["when"].dtype == pd.to_datetime(pd.Series(["2024-06-01 10:00:00"])).dtype
    assert list(synth["when"]) == list(pd.date_range("2024-06-01 10:00", periods=5, freq="h"))


def test_text_dtype_saved_under_another_pandas_loads_as_this_pandas_text():
    # "str" (pandas 3) names numpy's fixed-width unicode on older pandas: it must load as text.
    entry = {"label": "w", "name": "w", "dtype": "str", "kind": "categorical",
             "values": ["x", "y"], "texts": ["x", "y"]}
    (info,) = _infos_from_json([entry])
    assert info.dtype == pd.Series(["x"]).dtype
