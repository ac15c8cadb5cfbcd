"""The standalone injectors from Python: DriftInjector and ScenarioInjector (docs/drift.md,
docs/dynamics.md) — math checked on small frames, input never modified."""
import numpy as np
import pandas as pd
import pytest

from calm_data_generator.generators.drift import DriftInjector
from calm_data_generator.generators.dynamics import ScenarioInjector


@pytest.fixture()
def frame():
    return pd.DataFrame({"x": np.arange(1.0, 101.0), "k": np.arange(100, dtype="int64"),
                         "label": ["a", "b"] * 50})


def test_shift_moves_only_rows_from_start_index(frame):
    before = frame.copy()
    out = DriftInjector(random_state=1).inject_feature_drift(
        frame, feature_cols=["x"], drift_type="shift", drift_magnitude=0.3, start_index=50)
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    window_mean = frame["x"].iloc[50:].mean()
    np.testing.assert_allclose(out["x"].iloc[:50], frame["x"].iloc[:50])
    np.testing.assert_allclose(out["x"].iloc[50:], frame["x"].iloc[50:] + 0.3 * window_mean)
    assert out["k"].dtype == frame["k"].dtype


def test_config_list_label_shift_and_unknown_method(frame):
    inj = DriftInjector(random_state=2)
    out = inj.inject(frame, [{"method": "inject_label_shift", "target_col": "label",
                              "target_distribution": {"a": 0.8, "b": 0.2}}])
    assert out["label"].value_counts().to_dict() == {"a": 80, "b": 20}
    with pytest.raises(AttributeError, match="drift methods"):
        inj.inject_nothing_real
    with pytest.raises(ValueError):
        inj.inject_feature_drift(frame, feature_cols=["nope"], drift_type="shift")


def test_scenario_linear_trend_and_target(frame):
    sc = ScenarioInjector(seed=1)
    out = sc.evolve_features(frame, {"x": {"type": "linear", "slope": 2.0}})
    np.testing.assert_allclose(out["x"], frame["x"] + 2.0 * np.arange(100))
    tgt = sc.construct_target(frame, "y", "x * 2 + 1")
    np.testing.assert_allclose(tgt["y"], frame["x"] * 2 + 1)
