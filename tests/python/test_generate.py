"""The seed's generate() examples on real data (shared/datasets), with the methods built so far,
plus determinism, logging and the files written to output_dir."""

import logging
import os

import numpy as np
import pandas as pd
import pytest
from conftest import requires

from calm_data_generator.generators.tabular import RealGenerator


def quiet(**kwargs) -> RealGenerator:
    return RealGenerator(auto_report=False, **kwargs)


@pytest.mark.parametrize("method", ["resample", "gaussian_copula",
                                    pytest.param("cart", marks=requires("cart"))])
def test_basic_generation_keeps_the_table_shape(penguins, method):
    synth = quiet(random_state=42).generate(data=penguins, n_samples=500, method=method,
                                            target_col="species")
    assert synth.shape == (500, penguins.shape[1])
    assert list(synth.columns) == list(penguins.columns)
    assert (synth.dtypes == penguins.dtypes).all()
    assert set(synth["species"].dropna()) <= set(penguins["species"].dropna())
    body = synth["body_mass_g"].dropna()
    assert body.between(penguins["body_mass_g"].min(), penguins["body_mass_g"].max()).all()
    # every species is generated, roughly as often as in the real data (+-10 points)
    real_share = penguins["species"].value_counts(normalize=True)
    synth_share = synth["species"].value_counts(normalize=True)
    assert (abs(synth_share - real_share) < 0.10).all()


@requires("cart")
def test_cart_example_model_params(penguins):
    # the seed's CART example
    synth = quiet(random_state=42).generate(
        penguins, 300, method="cart",
        model_params={"iterations": 2, "min_samples_leaf": 5, "max_depth": 10})
    assert len(synth) == 300


@pytest.mark.parametrize("method", ["resample", "gaussian_copula"])
def test_custom_distributions_example(penguins, method):
    # the seed's "Custom Distributions" example, on penguins
    synth = quiet(random_state=3).generate(
        data=penguins, n_samples=3000, method=method, target_col="species",
        custom_distributions={"species": {"Adelie": 0.2, "Gentoo": 0.5, "Chinstrap": 0.3}})
    share = synth["species"].value_counts(normalize=True)
    assert share["Adelie"] == pytest.approx(0.2, abs=0.03)
    assert share["Gentoo"] == pytest.approx(0.5, abs=0.03)
    assert share["Chinstrap"] == pytest.approx(0.3, abs=0.03)


def test_balance_target(penguins):
    synth = quiet(random_state=4).generate(penguins, 3000, method="resample",
                                           target_col="species", balance_target=True)
    share = synth["species"].value_counts(normalize=True)
    assert (abs(share - 1 / 3) < 0.03).all() and len(share) == 3


def test_date_injection_example(penguins):
    # the seed's "Date Injection" example
    synth = quiet(random_state=5).generate(
        data=penguins, n_samples=100, method="resample", date_col="timestamp",
        date_start="2024-06-01", date_step={"hours": 1}, date_every=1)
    assert synth.columns[0] == "timestamp"
    assert list(synth.columns[1:]) == list(penguins.columns)
    expected = pd.date_range("2024-06-01", periods=100, freq="h")
    assert (synth["timestamp"].to_numpy() == expected.to_numpy()).all()


def test_date_every_repeats_dates(airquality):
    synth = quiet(random_state=5).generate(airquality, 10, method="resample", date_col="day",
                                           date_start="2024-01-31", date_step={"months": 1},
                                           date_every=3)
    days = synth["day"].dt.strftime("%Y-%m-%d").tolist()
    assert days[:4] == ["2024-01-31"] * 3 + ["2024-02-29"]


@pytest.mark.parametrize("method", ["resample", "gaussian_copula",
                                    pytest.param("cart", marks=requires("cart"))])
def test_same_random_state_same_frame(penguins, method):
    a = quiet(random_state=11).generate(penguins, 200, method=method)
    b = quiet(random_state=11).generate(penguins, 200, method=method)
    c = quiet(random_state=12).generate(penguins, 200, method=method)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_seed_is_drawn_and_reported_without_random_state(penguins):
    gen = quiet()
    a = gen.generate(penguins, 50, method="resample")
    seed = gen.last_seed
    b = quiet(random_state=seed).generate(penguins, 50, method="resample")
    pd.testing.assert_frame_equal(a, b)


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_logger_receives_engine_records(penguins):
    logger = logging.getLogger("calm_test_logger")
    logger.setLevel(logging.DEBUG)
    handler = ListHandler()
    logger.addHandler(handler)
    try:
        quiet(logger=logger).generate(penguins, 20, method="resample")
    finally:
        logger.removeHandler(handler)
    messages = [r.getMessage() for r in handler.records]
    assert any("no random_state given" in m for m in messages), messages
    assert any(m.startswith("fitted 'resample'") for m in messages), messages
    assert all(r.name == "calm_test_logger" for r in handler.records)
    assert {r.levelno for r in handler.records} <= {10, 20, 30, 40}


def test_logger_level_filters_records(penguins):
    logger = logging.getLogger("calm_test_logger_warn")
    logger.setLevel(logging.WARNING)
    handler = ListHandler()
    logger.addHandler(handler)
    try:
        quiet(logger=logger).generate(penguins, 20, method="resample")
    finally:
        logger.removeHandler(handler)
    assert all(r.levelno >= logging.WARNING for r in handler.records)


def test_default_logger_is_used(penguins, caplog):
    with caplog.at_level(logging.INFO, logger="calm_data_generator"):
        quiet().generate(penguins, 20, method="resample")
    assert any(r.name == "calm_data_generator" and "random_state" in r.getMessage()
               for r in caplog.records)


def test_save_dataset_writes_the_csv(penguins, tmp_path):
    gen = quiet(random_state=8)
    synth = gen.generate(penguins, 64, method="resample", output_dir=str(tmp_path / "out"),
                         generator_name="penguins_gen", save_dataset=True)
    path = tmp_path / "out" / "penguins_gen_synthetic.csv"
    assert path.exists() and str(path) in gen.last_files
    saved = pd.read_csv(path)
    assert list(saved.columns) == list(penguins.columns) and len(saved) == 64
    pd.testing.assert_series_equal(saved["species"], synth["species"])
    np.testing.assert_allclose(saved["bill_length_mm"], synth["bill_length_mm"])


def test_auto_report_writes_into_output_dir(penguins, tmp_path, caplog):
    gen = RealGenerator(auto_report=True, minimal_report=True, random_state=8)
    out = tmp_path / "reports"
    with caplog.at_level(logging.WARNING, logger="calm_data_generator"):
        gen.generate(penguins, 64, method="resample", output_dir=out)
    assert out.is_dir()
    if not gen.last_files and any("not available yet" in r.getMessage() for r in caplog.records):
        pytest.skip("the engine writes no reports yet (it says so in a warning)")
    assert gen.last_files
    for f in gen.last_files:
        assert os.path.exists(f) and os.path.commonpath([f, str(out)]) == str(out)


def test_no_output_dir_writes_nothing(penguins, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    gen = RealGenerator(random_state=8)
    gen.generate(penguins, 10, method="resample")
    assert gen.last_files == [] and list(tmp_path.iterdir()) == []


# The deep methods live in the libcalm_deep.so plugin, loaded on first use from next to the
# extension (installed package) or the build tree: each must be reachable from Python.
@pytest.mark.parametrize("method", [pytest.param(m, marks=requires(m))
                                    for m in ["ctgan", "tvae", "copulagan", "diffusion"]])
def test_deep_methods_load_their_plugin(penguins, method):
    synth = quiet(random_state=3).generate(data=penguins, n_samples=40, method=method,
                                           model_params={"epochs": 1})
    assert synth.shape == (40, penguins.shape[1])
    assert (synth.dtypes == penguins.dtypes).all()
