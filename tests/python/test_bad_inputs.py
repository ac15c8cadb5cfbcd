"""The bad-input catalogue from Python (docs/robustness.md): each bad call raises ValueError,
TypeError or FileNotFoundError with a message naming the problem, leaves the caller's DataFrame
exactly as it was, and writes nothing to output_dir."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import requires

from calm_data_generator.generators.tabular import RealGenerator


def table(n=40):
    return pd.DataFrame({"x": [float(i % 17) + 0.5 for i in range(n)],
                         "g": ["abc"[i % 3] for i in range(n)],
                         "y": [i % 2 for i in range(n)]})


CASES = [
    # (name, data, kwargs, exception, message fragment)
    ("no rows", pd.DataFrame({"a": [], "b": []}), {}, ValueError, "row"),
    ("one row", pd.DataFrame({"a": [1.0], "b": [2.0]}), {"method": "resample"}, ValueError,
     "2 rows"),
    ("all-missing column", pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [np.nan] * 3}),
     {"method": "resample"}, ValueError, "'b'"),
    ("infinite values", pd.DataFrame({"a": [1.0, math.inf, 2.0, -math.inf] * 5,
                                      "b": list("pqrs") * 5}),
     {"method": "cart"}, ValueError, "infinite"),
    ("n_samples zero", table(), {"n_samples": 0}, ValueError, "n_samples"),
    ("n_samples a string", table(), {"n_samples": "ten"}, TypeError, "n_samples"),
    ("unknown method", table(), {"method": "magic"}, ValueError, "cart"),
    ("unknown model_param", table(), {"method": "cart", "model_params": {"nope": 1}},
     ValueError, "nope"),
    ("parameter of the wrong type", table(),
     {"method": "cart", "model_params": {"min_samples_leaf": "many"}}, ValueError,
     "min_samples_leaf"),
    ("parameter out of range", table(), {"method": "rf", "model_params": {"n_estimators": 0}},
     ValueError, "n_estimators"),
    ("target not in data", table(), {"target_col": "nope"}, ValueError, "nope"),
    ("shares that do not sum to 1", table(),
     {"custom_distributions": {"g": {"a": 0.5, "b": 0.2}}}, ValueError, "sum"),
    ("shares naming an absent class", table(),
     {"custom_distributions": {"g": {"a": 0.5, "zzz": 0.5}}}, ValueError, "zzz"),
    ("unknown constraint type", table(),
     {"constraints": [{"type": "sometimes", "col": "x"}]}, ValueError, "sometimes"),
    ("contradictory constraints", table(),
     {"constraints": [{"col": "x", "op": ">", "val": 50}, {"col": "x", "op": "<", "val": 3}]},
     ValueError, "constraint"),
    ("unknown drift method", table(), {"drift_injection_config": [{"method": "shift_it"}]},
     ValueError, "shift_it"),
    ("unknown dynamics key", table(), {"dynamics_config": {"evolve": {}}}, ValueError, "evolve"),
    ("bad date_start", table(), {"date_start": "yesterday"}, ValueError, "date_start"),
    ("unknown date_step unit", table(),
     {"date_start": "2024-01-01", "date_step": {"fortnights": 1}}, ValueError, "fortnights"),
    ("dp epsilon negative", table(), {"method": "dp", "model_params": {"epsilon": -1}},
     ValueError, "epsilon"),
    ("dp unknown synth_type", table(), {"method": "dp", "model_params": {"synth_type": "gan"}},
     ValueError, "mst"),
]


@pytest.mark.parametrize("name,data,kwargs,exception,fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_and_leaves_everything_as_it_was(tmp_path, name, data, kwargs, exception,
                                                          fragment):
    before = data.copy(deep=True)
    call = {"n_samples": 20, "method": "resample", **kwargs}
    out = tmp_path / "out"
    gen = RealGenerator(auto_report=True, random_state=1)
    with pytest.raises(exception, match=fragment):
        gen.generate(data, output_dir=str(out), save_dataset=True, **call)
    pd.testing.assert_frame_equal(data, before)
    left = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert left == [], f"{name}: output left behind: {left}"


def test_not_a_table_is_type_error():
    with pytest.raises(TypeError):
        RealGenerator(auto_report=False).generate([[1, 2], [3, 4]], 5, method="resample")


def test_missing_csv_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        RealGenerator(auto_report=False).generate(tmp_path / "absent.csv", 5, method="resample")
