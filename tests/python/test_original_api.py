"""The original library's public classes, signature for signature: every callable listed in
calm_data_generator/original_signatures.json (taken from ../shared/original-behaviour.md) has each
listed parameter with the listed default, and its positional parameters are the original's, in the
original's order, so scripts written for the original bind the same arguments."""

import inspect
import json
import pathlib

import pytest

import calm_data_generator
from calm_data_generator.generators.drift import DriftInjector
from calm_data_generator.generators.dynamics import ScenarioInjector
from calm_data_generator.generators.tabular import QualityReporter, RealBlockGenerator

TABLE = json.loads((pathlib.Path(calm_data_generator.__file__).parent /
                    "original_signatures.json").read_text())["signatures"]
CLASSES = {"DriftInjector": DriftInjector, "ScenarioInjector": ScenarioInjector,
           "RealBlockGenerator": RealBlockGenerator, "QualityReporter": QualityReporter}


def _parameters(qualified):
    cls, name = qualified.split(".")
    params = list(inspect.signature(getattr(CLASSES[cls], name)).parameters.values())
    if params and params[0].name == "self":
        params = params[1:]
    listed = TABLE[qualified]
    if params and params[0].name in ("df", "data") and listed[0][0] != params[0].name:
        params = params[1:]  # the frame every method takes first
    return params, listed


@pytest.mark.parametrize("qualified", sorted(TABLE))
def test_every_original_parameter_with_its_default(qualified):
    params, listed = _parameters(qualified)
    by_name = {p.name: p for p in params}
    missing = [entry[0] for entry in listed if entry[0] not in by_name]
    assert not missing, f"{qualified} lacks {missing}"
    for entry in listed:
        if len(entry) == 2:
            assert by_name[entry[0]].default == entry[1], (qualified, entry)


@pytest.mark.parametrize("qualified", sorted(TABLE))
def test_positional_parameters_are_the_originals_in_order(qualified):
    params, listed = _parameters(qualified)
    positional = [p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD]
    assert positional == [entry[0] for entry in listed][:len(positional)], qualified
    assert positional, f"{qualified}: the original's first parameter must be positional"


def test_help_shows_every_drift_method():
    for name in [q.split(".")[1] for q in TABLE if q.startswith("DriftInjector.inject")]:
        method = getattr(DriftInjector, name)
        assert method.__doc__ and inspect.signature(method).parameters, name


def test_original_module_path_of_the_block_generator():
    from calm_data_generator.generators.tabular.RealBlockGenerator import RealBlockGenerator as R
    import calm_data_generator.generators.tabular as tabular

    assert R is RealBlockGenerator and tabular.RealBlockGenerator is RealBlockGenerator


def test_the_drift_stub_for_ides_matches_the_methods():
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "gen_drift_stub.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
