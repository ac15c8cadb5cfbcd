"""What the parameters the original's API adds do (../shared/original-behaviour.md §3, §4, §7): the
injectors' report/CSV side effects, schedules, targets from callables, future projection, and the
block generator's chunking, per-block counts, dates and files."""

import os

import numpy as np
import pandas as pd
import pytest

from calm_data_generator.generators.drift import DriftInjector
from calm_data_generator.generators.dynamics import ScenarioInjector
from calm_data_generator.generators.tabular import RealBlockGenerator, RealGenerator


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame({"x": rng.normal(10, 2, 120), "k": rng.integers(0, 5, 120),
                         "label": np.array(["a", "b", "c"])[np.arange(120) % 3],
                         "store": np.repeat([1, 2, 3], 40)})


def test_no_folder_means_no_file_anywhere(frame, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inj = DriftInjector(auto_report=True, random_state=1)
    inj.inject_feature_drift(frame, ["x"], "shift", 0.5, start_index=60)
    assert os.listdir(tmp_path) == [] and inj.last_files == []


def test_auto_report_writes_the_csv_and_report_into_the_calls_folder(frame, tmp_path):
    inj = DriftInjector(output_dir=str(tmp_path / "default"), generator_name="shop",
                        random_state=1)
    out = inj.inject_feature_drift(frame, ["x"], "shift", 0.5, start_index=60,
                                   output_dir=str(tmp_path / "call"))
    csv = tmp_path / "call" / "shop_feature_drift.csv"
    assert csv.exists() and (tmp_path / "call" / "comparison_report.html").exists()
    assert not (tmp_path / "default").exists()
    np.testing.assert_allclose(pd.read_csv(csv)["x"], out["x"])
    quiet = DriftInjector(output_dir=str(tmp_path / "q"), auto_report=False)
    quiet.inject_feature_drift(frame, ["x"], "shift", 0.5)
    assert not (tmp_path / "q").exists()


def test_multiple_types_schedule_runs_in_order_with_context(frame):
    inj = DriftInjector(random_state=3, auto_report=False)
    out = inj.inject_multiple_types_of_drift(frame, [
        {"method": "inject_feature_drift", "params": {"feature_cols": ["x"], "drift_type":
                                                      "add_value", "drift_value": 100.0}},
        {"method": "inject_label_shift", "params": {"target_distribution": {"a": 1.0}}},
    ], target_column="label")
    np.testing.assert_allclose(out["x"], frame["x"] + 100.0)
    assert (out["label"] == "a").all()
    with pytest.raises(ValueError, match="inject_no_such"):
        inj.inject_multiple_types_of_drift(frame, [{"method": "inject_no_such", "params": {}}])


def test_positional_call_written_for_the_original(frame):
    out = DriftInjector(random_state=2, auto_report=False).inject_concept_drift(
        frame, "label_flip", 1.0, "label")
    assert (out["label"] != frame["label"]).all()


def test_evolve_features_reports_and_construct_target_callable(frame, tmp_path):
    sc = ScenarioInjector(seed=4)
    out = sc.evolve_features(frame, {"x": {"type": "linear", "slope": 1.0}},
                             output_dir=str(tmp_path), generator_name="evo")
    np.testing.assert_allclose(out["x"], frame["x"] + np.arange(120))
    assert (tmp_path / "comparison_report.html").exists()
    tgt = sc.construct_target(frame, "hi", lambda d: d["x"] - 10, task_type="classification")
    assert tgt["hi"].tolist() == (frame["x"] > 10).astype(int).tolist()
    with pytest.raises(ValueError, match="task_type"):
        sc.construct_target(frame, "y", "x", task_type="ranking")


def test_project_to_future_period_blocks_and_trend(frame):
    sc = ScenarioInjector(seed=5)
    out = sc.project_to_future_period(frame, periods=2, block_col="store",
                                      trend_config={"x": {"type": "linear", "slope": 50.0}},
                                      auto_report=False)
    assert len(out) == 120 + 2 * 40
    future = out.iloc[120:]
    assert future["store"].tolist() == [4] * 40 + [5] * 40
    base = frame.loc[frame.store == 3, "x"]
    assert future["x"].iloc[:40].between(base.min() + 50, base.max() + 50).all()
    assert future["x"].iloc[40:].between(base.min() + 100, base.max() + 100).all()
    synth = sc.project_to_future_period(frame, block_col="store", auto_report=False,
                                        generator=RealGenerator(auto_report=False, random_state=1),
                                        generator_method="resample", n_samples_per_period=10)
    assert len(synth) == 130 and (synth["store"].iloc[120:] == 4).all()


def test_block_strategies_counts_dates_and_file(frame, tmp_path):
    gen = RealBlockGenerator(auto_report=False, random_state=1)
    with pytest.raises(ValueError, match="exactly one block strategy"):
        gen.generate(frame, method="resample")
    with pytest.raises(ValueError, match="exactly one block strategy"):
        gen.generate(frame, method="resample", block_column="store", chunk_size=10)
    with pytest.raises(ValueError, match="chunk_size"):
        gen.generate(frame, method="resample", chunk_size=0)
    out = gen.generate(frame, str(tmp_path), "resample", chunk_size=50, n_samples_block=7)
    assert out["chunk"].value_counts().to_dict() == {0: 7, 1: 7, 2: 7}
    assert (tmp_path / "complete_block_dataset_resample.csv").exists()
    out = gen.generate(frame, method="resample", chunk_by_timestamp="store",
                       n_samples_block={1: 5}, date_start="2024-01-01", date_step={"months": 1})
    assert out["chunk"].value_counts().sort_index().to_dict() == {1: 5, 2: 40, 3: 40}
    dates = out.groupby("chunk")["timestamp"].unique().map(lambda d: str(d[0])[:10]).to_dict()
    assert dates == {1: "2024-01-01", 2: "2024-02-01", 3: "2024-03-01"}
    with pytest.raises(ValueError, match="not in the data"):
        gen.generate(frame, method="resample", block_column="store", n_samples_block={9: 1})


def test_block_helpers(frame, tmp_path):
    paths = RealBlockGenerator.save_block_dataset(frame, str(tmp_path / "parts"), "store",
                                                  "cart", separate_blocks=True)
    assert [os.path.basename(p) for p in paths] == [
        f"synthetic_block_cart_block_{b}.csv" for b in (1, 2, 3)]
    with pytest.raises(ValueError, match="format"):
        RealBlockGenerator.save_block_dataset(frame, str(tmp_path / "x.txt"), "store",
                                              format="txt")
    info = RealBlockGenerator.get_block_info(frame, "store", "label")
    assert info[1]["size"] == 40 and abs(info[1]["percentage"] - 100 / 3) < 1e-9
    stats = RealBlockGenerator.analyze_block_statistics(frame, frame, "store", "label")
    assert stats[2]["original_size"] == stats[2]["synthetic_size"] == 40


def test_label_drift_incremental_ramps_over_the_selection(frame):
    inj = DriftInjector(random_state=7, auto_report=False)
    flipped = np.zeros(120)
    for seed in range(30):
        out = DriftInjector(random_state=seed, auto_report=False).inject_label_drift_incremental(
            frame, "label", 1.0)
        flipped += (out["label"] != frame["label"]).to_numpy()
    share = flipped / 30
    assert share[:20].mean() < 0.3 and share[-20:].mean() > 0.7  # sigmoid from ≈0.12 to ≈0.88
    with pytest.raises(ValueError, match="by position"):
        inj.inject_label_drift_incremental(frame, "label", 1.0, block_index=1, block_column="store")
