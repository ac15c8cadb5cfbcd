"""QualityReporter.calculate_quality_metrics over the engine's SDMetrics-style evaluator."""

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
