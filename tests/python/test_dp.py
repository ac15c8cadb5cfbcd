"""issue 15 from Python: the seed's dp / datasynth calls (pandas in, pandas out), the seed's
aliases, the guarantee in the JSON report, and clear errors on bad privacy parameters."""

import json

import pandas as pd
import pytest
from conftest import requires

from calm_data_generator.generators.tabular import RealGenerator

# Public ranges of the penguins' measures: 344 rows cannot pay for private ones at small budgets.
BOUNDS = {"bill_length_mm": [30, 60], "bill_depth_mm": [13, 22], "flipper_length_mm": [170, 235],
          "body_mass_g": [2500, 6500]}
DOMAIN = {"species": ["Adelie", "Chinstrap", "Gentoo"], "island": ["Biscoe", "Dream", "Torgersen"],
          "sex": ["female", "male"], "year": ["2007", "2008", "2009"]}


@requires("dp")
@pytest.mark.parametrize("synth_type", ["mst", "aim", "mwem"])
def test_dp_keeps_columns_dtypes_and_released_categories(penguins, synth_type):
    before = penguins.copy()
    synth = RealGenerator(auto_report=False, random_state=1).generate(
        penguins, 400, method="dp", model_params={"synth_type": synth_type, "dp_epsilon": 5.0,
                                                     "bounds": BOUNDS, "domain": DOMAIN})
    pd.testing.assert_frame_equal(penguins, before)  # the input is never modified
    assert synth.shape == (400, penguins.shape[1])
    assert list(synth.columns) == list(penguins.columns)
    assert set(synth["species"].dropna()) <= set(penguins["species"].dropna())
    # at epsilon 5 the species shares are within 10 points of the real ones
    real = penguins["species"].value_counts(normalize=True)
    got = synth["species"].value_counts(normalize=True).reindex(real.index, fill_value=0)
    assert (abs(got - real) < 0.10).all(), got


@requires("datasynth")
def test_datasynth_is_deterministic_and_reports_its_guarantee(penguins, tmp_path):
    gen = RealGenerator(auto_report=True, random_state=4)
    a = gen.generate(penguins, 200, method="datasynth", model_params={"epsilon": 1.0, "k": 2,
                                                            "bounds": BOUNDS},
                     output_dir=str(tmp_path))
    b = RealGenerator(auto_report=False, random_state=4).generate(
        penguins, 200, method="datasynth", model_params={"epsilon": 1.0, "k": 2, "bounds": BOUNDS})
    pd.testing.assert_frame_equal(a, b)
    report = json.loads((tmp_path / "sdv_quality_report.json").read_text())
    guarantee = report["differential_privacy"]
    assert guarantee["epsilon"] == 1.0
    assert guarantee["delta"] <= 1e-5


@requires("dp")
@pytest.mark.parametrize("params, words", [
    ({"synth_type": "mst", "epsilon": 0}, "epsilon"),
    ({"synth_type": "mst", "epsilon": -2}, "epsilon"),
    ({"synth_type": "mst", "delta": 0.2}, "1/rows"),
    ({"synth_type": "gan"}, "mst"),
    ({"synth_type": "mst", "epsilonn": 1}, "epsilon"),
    ({"synth_type": "mwem", "epsilon": 0.05}, "public bounds"),
])
def test_bad_privacy_parameters_are_value_errors(penguins, params, words):
    with pytest.raises(ValueError, match=words):
        RealGenerator(auto_report=False).generate(penguins, 10, method="dp", model_params=params)
