"""The seed's names: import paths, constructor and generate() signatures, the registry, docstrings."""

import inspect
import logging

import pandas as pd
import pytest

import calm_data_generator
from calm_data_generator import methods
from calm_data_generator._docs import python_options
from calm_data_generator.generators.tabular import QualityReporter, RealGenerator

SEED_GENERATE_PARAMS = [
    ("data", inspect.Parameter.empty), ("n_samples", inspect.Parameter.empty),
    ("method", "cart"), ("target_col", None), ("output_dir", None),
    ("generator_name", "RealGenerator"), ("save_dataset", False),
    ("custom_distributions", None), ("date_col", None), ("date_start", None),
    ("date_step", None), ("date_every", 1), ("drift_injection_config", None),
    ("dynamics_config", None), ("model_params", None), ("constraints", None),
    ("adversarial_validation", False), ("balance_target", False),
]


def test_version_is_the_engine_version():
    assert calm_data_generator.__version__ == calm_data_generator._calm.__version__
    assert calm_data_generator.__version__.count(".") == 2


# calm's generate() keywords beyond the seed's, in declaration order (each with a default).
CALM_GENERATE_EXTENSIONS = ["holdout_fraction", "fit_rows", "return_anndata"]


def test_generate_signature_is_the_seeds():
    """The seed's parameters come first with the seed's names, order and defaults, so every call
    written for the seed binds the same; calm's extensions follow, each with a default."""
    params = list(inspect.signature(RealGenerator.generate).parameters.values())[1:]
    seed = len(SEED_GENERATE_PARAMS)
    assert [(p.name, p.default) for p in params[:seed]] == SEED_GENERATE_PARAMS
    assert [p.name for p in params[seed:]] == CALM_GENERATE_EXTENSIONS
    assert all(p.default is not p.empty for p in params[seed:])


def test_constructor_signature_is_the_seeds():
    params = list(inspect.signature(RealGenerator.__init__).parameters.values())[1:]
    assert [(p.name, p.default) for p in params] == [
        ("auto_report", True), ("minimal_report", False), ("random_state", None), ("logger", None)]


def test_every_generate_keyword_is_an_engine_option():
    names = {name for name, _ in SEED_GENERATE_PARAMS} - {"data"}
    assert names <= set(calm_data_generator._calm.generate_option_names())


def test_default_logger_is_the_package_logger():
    gen = RealGenerator()
    assert gen.logger is logging.getLogger("calm_data_generator")
    assert gen.auto_report and not gen.minimal_report and gen.random_state is None


def test_random_state_is_validated():
    assert RealGenerator(random_state=7).random_state == 7
    with pytest.raises(ValueError):
        RealGenerator(random_state=-1)
    with pytest.raises(TypeError):
        RealGenerator(random_state="7")
    with pytest.raises(TypeError):
        RealGenerator(random_state=True)


def test_methods_lists_the_seed_methods_with_params():
    listed = {m["name"]: m for m in methods()}
    for name in ["cart", "rf", "lgbm", "gmm", "smote", "adasyn", "resample", "ctgan", "tvae",
                 "copulagan", "diffusion", "dp", "datasynth", "par", "timegan", "dgan",
                 "copula_temporal", "scvi", "scgen", "gaussian_copula"]:
        assert name in listed, name
    assert listed["resample"]["available"]
    for m in listed.values():
        assert set(m) >= {"name", "family", "summary", "available", "params"}
        for p in m["params"]:
            assert set(p) >= {"name", "type", "default", "doc", "aliases", "choices"}


def test_generate_docstring_lists_every_method_and_param():
    doc = RealGenerator.generate.__doc__
    for m in methods():
        assert f"{m['name']} ({m['family']})" in doc
        for p in m["params"]:
            assert p["name"] in doc


def test_quality_reporter_is_exported():
    assert QualityReporter is calm_data_generator.QualityReporter


def test_type_stub_matches_the_implementation():
    import ast
    from pathlib import Path

    import calm_data_generator.generators.tabular.real_generator as module

    stub = ast.parse(Path(module.__file__).with_suffix(".pyi").read_text())
    cls = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "RealGenerator")
    for name, impl in [("__init__", RealGenerator.__init__), ("generate", RealGenerator.generate)]:
        fn = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name)
        stub_args = [a.arg for a in fn.args.args + fn.args.kwonlyargs]
        stub_defaults = [ast.literal_eval(d) for d in fn.args.defaults + fn.args.kw_defaults]
        params = list(inspect.signature(impl).parameters.values())
        assert stub_args == [p.name for p in params], name
        assert stub_defaults == [p.default for p in params if p.default is not p.empty], name
    # generate()'s annotations are the engine's declaration of its options
    fn = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "generate")
    stub_annotations = {a.arg: ast.unparse(a.annotation) for a in fn.args.args[2:]}
    assert stub_annotations == {o["name"]: o["python"] for o in python_options()}
    assert [a.arg for a in fn.args.kwonlyargs] == ["return_anndata"]  # the front end's own


def test_generate_keywords_docs_and_defaults_come_from_the_engine_declaration():
    declared = python_options()
    params = [p for p in list(inspect.signature(RealGenerator.generate).parameters.values())[2:]
              if p.kind != p.KEYWORD_ONLY]
    assert [p.name for p in params] == [o["name"] for o in declared]
    for p, o in zip(params, declared):
        assert p.annotation == o["python"]
        assert (p.default is p.empty) == o["required"]
        if not o["required"]:
            assert p.default == o["default"], o["name"]
        # the Args section carries the declared doc (wrapped; compare the words)
        assert " ".join(o["doc"].split()[:6]) in " ".join(RealGenerator.generate.__doc__.split())
    # options that are not keywords stay reachable through the engine's own names
    assert {"block_column", "column_types"} <= set(calm_data_generator._calm.generate_option_names())


def test_generate_rejects_unknown_and_missing_keywords_like_a_function():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(TypeError, match="n_sample"):
        RealGenerator(random_state=1).generate(frame, n_sample=3)
    with pytest.raises(TypeError, match="n_samples"):
        RealGenerator(random_state=1).generate(frame)
    out = RealGenerator(random_state=1, auto_report=False).generate(frame, 5, "resample")
    assert len(out) == 5
