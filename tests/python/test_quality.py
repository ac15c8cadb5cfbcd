"""QualityReporter over the engine's SDMetrics-style evaluator: the scores, and the reports'
membership inference attack with a hold-out."""

import numpy as np
import pandas as pd
import pytest

from calm_data_generator.generators.tabular import QualityReporter, RealGenerator


def test_identical_frames_score_one_but_are_penalised_as_copies(penguins):
    scores = QualityReporter(verbose=False).calculate_quality_metrics(penguins, penguins)
    assert scores["overall_quality_score"] == pytest.approx(1.0, abs=1e-4)
    assert scores["column_shapes_score"] == pytest.approx(1.0, abs=1e-4)
    # every synthetic row copies a real row: the weighted score drops to 0
    assert scores["weighted_quality_score"] == pytest.approx(0.0, abs=1e-4)
    assert {c["column"] for c in scores["details"]["column_shapes"]} == set(penguins.columns)


def test_synthetic_scores_between_noise_and_copy(penguins):
    synth = RealGenerator(auto_report=False, random_state=1).generate(
        penguins, 344, method="gaussian_copula")
    rng = np.random.default_rng(0)
    noise = penguins.copy()
    for c in ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]:
        noise[c] = rng.uniform(0, 10_000, size=len(noise))
    reporter = QualityReporter(verbose=False)
    good = reporter.calculate_quality_metrics(penguins, synth)["overall_quality_score"]
    bad = reporter.calculate_quality_metrics(penguins, noise)["overall_quality_score"]
    assert 0.0 <= bad < good <= 1.0
    assert good > 0.75


def test_minimal_skips_pair_trends(penguins):
    scores = QualityReporter(verbose=False, minimal=True).calculate_quality_metrics(
        penguins, penguins.sample(frac=1.0, random_state=0))
    assert scores["column_pair_trends_score"] is None
    assert scores["overall_quality_score"] == scores["column_shapes_score"]


def test_empty_synthetic_frame_does_not_crash(penguins):
    scores = QualityReporter(verbose=False).calculate_quality_metrics(penguins, penguins.iloc[:0])
    assert scores["overall_quality_score"] == 0.0 and scores["weighted_quality_score"] == 0.0
    assert "error" in scores


def test_only_common_columns_are_compared(penguins):
    synth = penguins.drop(columns=["year"]).assign(extra=1)
    scores = QualityReporter(verbose=False).calculate_quality_metrics(penguins, synth)
    columns = {c["column"] for c in scores["details"]["column_shapes"]}
    assert "year" not in columns and "extra" not in columns and "species" in columns


def _membership(folder):
    import json
    import pathlib

    report = json.loads((pathlib.Path(folder) / "sdv_quality_report.json").read_text())
    return report["membership_inference"]


# holdout_fraction (a generate() keyword from the engine's declaration): the model learns from 80%
# of the rows and the report attacks membership with the other 20%; a copier is caught.
def test_holdout_fraction_feeds_the_membership_attack(penguins, tmp_path):
    gen = RealGenerator(auto_report=True, random_state=4)
    synth = gen.generate(penguins, 275, method="resample", output_dir=tmp_path / "r",
                         holdout_fraction=0.2)
    assert len(synth) == 275
    m = _membership(tmp_path / "r")
    assert (m["train_rows"], m["holdout_rows"]) == (275, 69)
    assert m["auc"] > 0.7
    gen.generate(penguins, 50, method="resample", output_dir=tmp_path / "none")
    assert "no hold-out" in _membership(tmp_path / "none")["note"]
    with pytest.raises(ValueError, match="holdout_fraction must be in"):
        gen.generate(penguins, 50, method="resample", holdout_fraction=0.95)


def test_quality_reporter_takes_a_holdout_frame(penguins, tmp_path):
    train, holdout = penguins.iloc[:250], penguins.iloc[250:]
    reporter = QualityReporter(verbose=False)
    reporter.generate_comprehensive_report(train, train, "copy", str(tmp_path / "a"),
                                           holdout_df=holdout)
    assert _membership(tmp_path / "a")["auc"] > 0.95
    with pytest.raises(ValueError, match="holdout_df lacks the columns"):
        reporter.generate_comprehensive_report(train, train, "copy", str(tmp_path / "b"),
                                               holdout_df=holdout.drop(columns=["island"]))
