"""Engine errors arrive as the Python exceptions the issue names, with the engine's message."""

import pandas as pd
import pytest

from calm_data_generator import methods
from calm_data_generator.generators.tabular import RealGenerator


@pytest.fixture
def gen():
    return RealGenerator(auto_report=False, random_state=1)


@pytest.fixture
def small():
    return pd.DataFrame({"x": [float(i) for i in range(30)], "c": ["a", "b", "c"] * 10})


def test_unknown_method_is_value_error_listing_methods(gen, small):
    with pytest.raises(ValueError) as err:
        gen.generate(small, 10, method="no_such_method")
    assert "no_such_method" in str(err.value)
    assert "resample" in str(err.value) and "gaussian_copula" in str(err.value)


def test_unknown_keyword_is_type_error(gen, small):
    with pytest.raises(TypeError):
        gen.generate(small, 10, method="resample", no_such_option=1)


def test_unavailable_method_is_not_implemented(gen, small):
    unbuilt = [m["name"] for m in methods() if not m["available"]]
    if not unbuilt:
        pytest.skip("every method is built")
    with pytest.raises(NotImplementedError) as err:
        gen.generate(small, 10, method=unbuilt[0])
    assert isinstance(err.value, RuntimeError)
    assert unbuilt[0] in str(err.value)


def test_post_processing_configs_reach_the_engine(gen, small):
    # a constraint the engine applies (rows with x <= 10 are dropped) ...
    out = gen.generate(small, 200, method="resample",
                       constraints=[{"type": "compare", "col": "x", "op": ">", "val": 10}])
    assert len(out) > 0 and (out["x"] > 10).all()
    # ... and one it rejects, naming the bad key
    with pytest.raises(ValueError, match="no_such_key"):
        gen.generate(small, 10, method="resample",
                     constraints=[{"type": "compare", "col": "x", "no_such_key": 1}])


@pytest.mark.parametrize("kwargs, fragment", [
    ({"n_samples": 0}, "n_samples"),
    ({"n_samples": 10, "target_col": "missing"}, "missing"),
    ({"n_samples": 10, "model_params": {"no_such_param": 1}}, "no_such_param"),
    ({"n_samples": 10, "save_dataset": True}, "output_dir"),
    ({"n_samples": 10, "custom_distributions": {"c": {"zzz": 1.0}}}, "zzz"),
    ({"n_samples": 10, "date_start": "not a date"}, "not a date"),
])
def test_bad_arguments_are_value_errors(gen, small, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        gen.generate(small, method="resample", **kwargs)


def test_unusable_data_is_value_error(gen):
    with pytest.raises(ValueError, match="row"):
        gen.generate(pd.DataFrame({"x": [1.0]}), 5, method="resample")


def test_missing_csv_is_file_not_found(gen, tmp_path):
    with pytest.raises(FileNotFoundError):
        gen.generate(tmp_path / "absent.csv", 5, method="resample")


def test_unwritable_output_dir_is_os_error(gen, small, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(OSError) as err:
        gen.generate(small, 5, method="resample", output_dir=str(blocker / "sub"), save_dataset=True)
    assert not isinstance(err.value, FileNotFoundError) or "sub" in str(err.value)


def test_unsupported_value_type_is_type_error(gen, small):
    with pytest.raises(TypeError, match="model_params"):
        gen.generate(small, 5, method="resample", model_params={"x": object()})
