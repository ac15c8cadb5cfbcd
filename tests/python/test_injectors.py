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
    with pytest.raises(AttributeError, match="inject_nothing_real"):
        inj.inject_nothing_real
    with pytest.raises(ValueError):
        inj.inject_feature_drift(frame, feature_cols=["nope"], drift_type="shift")


def test_scenario_linear_trend_and_target(frame):
    sc = ScenarioInjector(seed=1)
    out = sc.evolve_features(frame, {"x": {"type": "linear", "slope": 2.0}})
    np.testing.assert_allclose(out["x"], frame["x"] + 2.0 * np.arange(100))
    tgt = sc.construct_target(frame, "y", "x * 2 + 1")
    np.testing.assert_allclose(tgt["y"], frame["x"] * 2 + 1)


def test_inject_drift_dispatches_by_column_type(frame):
    data = frame.assign(flag=np.zeros(100, dtype=bool))
    inj = DriftInjector(random_state=3)
    out = inj.inject_drift(data, columns=["x", "label", "flag"], drift_mode="gradual",
                           drift_magnitude=1.0, profile="linear", center=50, width=40,
                           categorical_operation="new_category")
    # Linear window 30..70: nothing drifts before row 30, everything after row 70.
    np.testing.assert_allclose(out["x"].iloc[:30], data["x"].iloc[:30])
    window_mean = data["x"].mean()
    np.testing.assert_allclose(out["x"].iloc[70:], data["x"].iloc[70:] + window_mean)
    assert not out["flag"].iloc[:30].any() and out["flag"].iloc[70:].all()
    assert (out["label"].iloc[70:] == "NEW_label").all()
    assert "NEW_label" not in set(out["label"].iloc[:30])
    with pytest.raises(ValueError, match="frequency, new_category, typos, switch"):
        inj.inject_drift(data, columns="label", categorical_operation="typo")


def test_binary_probabilistic_and_new_value(frame):
    data = frame.assign(flag=np.zeros(100, dtype="int64"))
    inj = DriftInjector(random_state=4)
    out = inj.inject_binary_probabilistic_drift(data, target_col="flag", probability=1.0,
                                                start_index=60)
    assert out["flag"].tolist() == [0] * 60 + [1] * 40
    out = inj.inject_new_value(data, cols="label", new_value="zzz", end_index=10)
    assert (out["label"].iloc[:10] == "zzz").all()
    assert (out["label"].iloc[10:] == data["label"].iloc[10:]).all()
