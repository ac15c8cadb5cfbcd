"""DriftInjector: the drift engine on any DataFrame (``calm_data_generator.generators.drift``).

The original library's DriftInjector, signature for signature (../shared/original-behaviour.md §3,
tests/python/original_signatures.json): ``injector.inject_feature_drift(df, ["price"], "shift",
0.3, start_index=500)``. Each engine drift method is a real method here whose parameters, defaults
and docs come from the engine's declarations (``calm drift --list``), so ``inspect.signature``,
``help()`` and ``dir()`` show them; ``drift.pyi`` gives IDEs the same. ``inject(df, config)`` applies
a whole ``drift_injection_config`` list. A new DataFrame is returned; the input is never modified.

Where the original was defective calm follows its intent (each case is said in the method's doc):
nothing is written unless a folder is given (the original created ``./drift_output`` at
construction and wrote reports there whatever the call's ``output_dir``); schedules stop with a
clear error instead of skipping failing steps silently.
"""

from __future__ import annotations

import inspect
import json
import os
from typing import Any, Dict, List, Optional, Union

import pandas as pd

from .. import _calm
from .._frames import columns_to_frame, frame_to_columns
from .._io import write_atomic
from ..reports.quality import write_quality_report

# The selection arguments (original-behaviour.md §3.2): keyword-only here, after the method's own.
_SELECTION = ("start_index", "end_index", "index_step", "block_column", "blocks", "block_index",
              "block_start", "n_blocks", "block_step", "time_col", "time_start", "time_end",
              "time_ranges", "specific_times")

# The CSV each method writes with auto_report and a folder (§3.1); None: report only.
_CSV_SUFFIX = {
    "inject_feature_drift": "feature_drift", "inject_feature_drift_gradual": "feature_gradual",
    "inject_feature_drift_incremental": "feature_gradual", "inject_label_drift": "label_drift",
    "inject_label_drift_gradual": "label_gradual", "inject_label_shift": "label_shift",
    "inject_concept_drift": "concept_drift",
    "inject_binary_probabilistic_drift": "binary_probabilistic_drift",
    "inject_correlation_matrix_drift": "correlation_drift",
    "inject_new_category_drift": "new_category_drift", "inject_new_value": "new_value",
    "inject_drift": "unified_drift", "inject_outliers_global": "global_outliers",
    "inject_data_quality_issues": "data_quality",
}
# Methods the original never reported on (§3.1): a CSV at most.
_NO_REPORT = {"inject_outliers_global", "inject_feature_drift_recurrent", "inject_nulls",
              "inject_missing_values_drift"}
# Parameters the original accepted and ignored; accepted here too so its scripts run.
_IGNORED = {
    "inject_feature_drift_recurrent": ("windows", "cycle_blocks", "random_repeat_order"),
    "inject_binary_probabilistic_drift": ("noise_range", "threshold"),
    "inject_feature_drift_gradual": ("resample_rule",),
    "inject_drift": ("windows", "resample_rule"),
}
# The original's names where the engine's differ (engine name -> Python name), and parameters the
# original put first.
_RENAMED = {
    "inject_concept_drift": {"target_col": "target_column"},
    "inject_nulls": {"feature_cols": "cols", "missing_fraction": "prob"},
}
_LEADING = {"inject_concept_drift": ("concept_drift_type", "concept_drift_magnitude")}


def _plain_json(value: Any) -> Any:
    """numpy arrays and scalars (a target_correlation_matrix, np.int64 indices) as JSON; anything
    else (timestamps, ...) as its text."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


_ENGINE_TYPES = {"float": "float", "int": "int", "bool": "bool", "choice": "str", "string": "str"}


def _original_orders() -> Dict[str, List[str]]:
    """The original's parameter names of each DriftInjector method (original_signatures.json)."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "original_signatures.json")
    with open(path, encoding="utf-8") as f:
        table = json.load(f)["signatures"]
    prefix = "DriftInjector."
    return {name[len(prefix):]: [entry[0] for entry in entries]
            for name, entries in table.items() if name.startswith(prefix)}


def _declarations() -> List[Dict[str, Any]]:
    return json.loads(_calm.drift_methods())


class DriftInjector:
    """Injects drift into a DataFrame (docs/drift.md has the math of every method).

    Args:
        output_dir: folder for the CSV and quality report each method writes when ``auto_report``
            is on (a per-call ``output_dir`` takes precedence). None (calm's default; the original's
            was "drift_output", created at once): nothing is written unless a call gives a folder.
        generator_name: prefix of the CSV names, ``<generator_name>_<suffix>.csv``.
        random_state: seed; the same seed and input give the same output.
        time_col, block_column, target_column: defaults for the methods' selection arguments and
            target.
        original_df: accepted and ignored, as in the original.
        minimal_report: lighter reports (no pair metrics).
        auto_report: write the CSV and report when a folder is known (default True, as the
            original).
    """

    def __init__(self, output_dir: Optional[str] = None, generator_name: str = "DriftInjector",
                 random_state: Optional[int] = None, time_col: Optional[str] = None,
                 block_column: Optional[str] = None, target_column: Optional[str] = None,
                 original_df: Optional[pd.DataFrame] = None, minimal_report: bool = False,
                 auto_report: bool = True) -> None:
        self.output_dir = output_dir
        self.generator_name = generator_name
        self.random_state = random_state
        self.time_col = time_col
        self.block_column = block_column
        self.target_column = target_column
        self.minimal_report = bool(minimal_report)
        self.auto_report = bool(auto_report)
        self.last_files: List[str] = []
        del original_df  # the original accepted it and never used it

    def inject(self, df: pd.DataFrame, config: Union[Dict[str, Any], List[Dict[str, Any]]]
               ) -> pd.DataFrame:
        """Applies drift steps ({"method": name, "params": {...}} or flat) in order; writes
        nothing."""
        return self._apply(df, config, self.time_col, self.block_column, self.target_column)

    def _apply(self, df: pd.DataFrame, config: Any, time_col: Optional[str],
               block_column: Optional[str], target_column: Optional[str]) -> pd.DataFrame:
        frame = df.reset_index(drop=True)
        columns, infos = frame_to_columns(frame)
        out = _calm.apply_drift(columns, json.dumps(config, default=_plain_json), self.random_state,
                                time_col, block_column, target_column)
        return columns_to_frame(out, infos)

    def _run(self, method: str, df: pd.DataFrame, steps: List[Dict[str, Any]],
             output_dir: Optional[str], generator_name: Optional[str],
             auto_report: Optional[bool], time_col: Optional[str] = None,
             block_column: Optional[str] = None,
             target_column: Optional[str] = None) -> pd.DataFrame:
        """Applies ``steps`` (a call's own context first, then the injector's), then the
        auto_report files of ``method`` (§3.1)."""
        target_column = target_column or self.target_column
        out = self._apply(df, steps, time_col or self.time_col,
                          block_column or self.block_column, target_column)
        report = self.auto_report if auto_report is None else bool(auto_report)
        folder = output_dir or self.output_dir
        self.last_files = []
        if report and folder:
            folder = os.fspath(folder)
            name = generator_name or self.generator_name
            os.makedirs(folder, exist_ok=True)
            if method in _CSV_SUFFIX:
                self.last_files.append(write_atomic(
                    out, os.path.join(folder, f"{name}_{_CSV_SUFFIX[method]}.csv")))
            if method not in _NO_REPORT:
                self.last_files += write_quality_report(df, out, name, folder,
                                                        self.minimal_report, target_column)
        return out

    def inject_feature_drift_abrupt(self, df: pd.DataFrame, feature_cols: Any,
                                    drift_type: str = "gaussian_noise",
                                    drift_magnitude: float = 0.2, change_index: int = 0,
                                    direction: Optional[str] = None, time_col: Optional[str] = None,
                                    output_dir: Optional[str] = None,
                                    generator_name: Optional[str] = None, *,
                                    auto_report: Optional[bool] = None) -> pd.DataFrame:
        """Abrupt feature drift from row ``change_index`` on: inject_feature_drift with
        ``start_index=change_index``. ``direction`` is accepted and unused, as in the original."""
        params = {"feature_cols": feature_cols, "drift_type": drift_type,
                  "drift_magnitude": drift_magnitude, "start_index": change_index}
        if time_col is not None:
            params["time_col"] = time_col
        return self._run("inject_feature_drift", df,
                         [{"method": "inject_feature_drift", "params": params}], output_dir,
                         generator_name, auto_report)

    def inject_label_drift_abrupt(self, df: pd.DataFrame, target_col: str,
                                  drift_magnitude: float = 0.3, change_index: int = 0,
                                  **kwargs: Any) -> pd.DataFrame:
        """Label flips from row ``change_index`` on: inject_label_drift_gradual with
        ``center=change_index``, ``width=3``, ``speed_k=5`` (almost a step), as the original.
        Other keywords are inject_label_drift_gradual's."""
        kwargs.setdefault("width", 3)
        kwargs.setdefault("speed_k", 5.0)
        return self.inject_label_drift_gradual(df, target_col, drift_magnitude,
                                               center=change_index, **kwargs)

    def inject_label_drift_incremental(self, df: pd.DataFrame, target_col: str,
                                       drift_magnitude: float = 0.3,
                                       **kwargs: Any) -> pd.DataFrame:
        """Label flips whose probability ramps across the selected rows: inject_label_drift_gradual
        with ``center = round(n/2)``, ``width = n`` (n = the selected rows), sigmoid, as
        inject_feature_drift_incremental does for features (the original's own version always
        raised TypeError). The selection is by position here (start_index, end_index,
        index_step); a block or time selection raises ValueError: use
        inject_label_drift_gradual with an explicit center and width for those."""
        other = sorted(k for k in kwargs if k in _SELECTION and k not in
                       ("start_index", "end_index", "index_step") and kwargs[k] is not None)
        if other:
            raise ValueError(f"inject_label_drift_incremental selects rows by position only; got "
                             f"{', '.join(other)} (use inject_label_drift_gradual with center "
                             f"and width)")
        rows = range(len(df))[slice(kwargs.get("start_index"), kwargs.get("end_index"),
                                    kwargs.get("index_step") or 1)]
        kwargs.update(center=round(len(rows) / 2), width=max(1, len(rows)), profile="sigmoid",
                      speed_k=1.0, direction="up")
        return self.inject_label_drift_gradual(df, target_col, drift_magnitude, **kwargs)

    def inject_label_drift_recurrent(self, df: pd.DataFrame, target_col: str,
                                     drift_magnitude: float = 0.3,
                                     windows: Optional[List[Any]] = None,
                                     **kwargs: Any) -> pd.DataFrame:
        """inject_label_drift_gradual once per ``(center, width)`` of ``windows``, in order (the
        original's intent; its own version always raised TypeError). Other keywords are
        inject_label_drift_gradual's; one CSV/report for the whole call."""
        if not windows:
            raise ValueError("windows must be a non-empty list of (center, width) pairs")
        output_dir = kwargs.pop("output_dir", None)
        generator_name = kwargs.pop("generator_name", None)
        auto_report = kwargs.pop("auto_report", None)
        steps = []
        for window in windows:
            if len(window) != 2:
                raise ValueError(f"each window is a (center, width) pair, got {window!r}")
            params = dict(kwargs, target_col=target_col, drift_magnitude=drift_magnitude,
                          center=window[0], width=window[1])
            steps.append({"method": "inject_label_drift_gradual", "params": params})
        return self._run("inject_label_drift_gradual", df, steps, output_dir, generator_name,
                         auto_report)

    def inject_multiple_types_of_drift(self, df: pd.DataFrame, schedule: List[Dict[str, Any]],
                                       output_dir: Optional[str] = None,
                                       generator_name: Optional[str] = None,
                                       time_col: Optional[str] = None,
                                       block_column: Optional[str] = None,
                                       target_column: Optional[str] = None) -> pd.DataFrame:
        """Runs ``schedule`` ([{"method": name, "params": {...}}, ...]) in order on the current
        frame, with ``time_col``/``block_column``/``target_column`` as the context of every step.
        Unlike the original, a failing or unknown step raises (naming it) instead of being
        skipped with a warning."""
        return self._run("inject_multiple_types_of_drift", df, list(schedule), output_dir,
                         generator_name, None, time_col, block_column, target_column)

    def inject_data_quality_issues(self, df: pd.DataFrame, issues: List[Dict[str, Any]],
                                   block_column: Optional[str] = None,
                                   time_col: Optional[str] = None,
                                   output_dir: Optional[str] = None,
                                   generator_name: Optional[str] = None) -> pd.DataFrame:
        """Runs the data-quality steps ``issues`` ([{"method": ..., "params": ...}]) in order, as
        one call (one CSV ``<name>_data_quality.csv`` and one report). A failing step raises,
        naming it, instead of being printed and skipped as in the original."""
        return self._run("inject_data_quality_issues", df, list(issues), output_dir,
                         generator_name, None, time_col, block_column)


def _engine_method(declaration: Dict[str, Any], original: List[str]):
    """A DriftInjector method with the declared parameters as its real signature."""
    name = declaration["method"]
    renamed = _RENAMED.get(name, {})
    leading = _LEADING.get(name, ())
    declared = sorted(declaration["params"], key=lambda p: p["name"] not in leading)
    declared = [dict(p, engine=p["name"], name=renamed.get(p["name"], p["name"])) for p in declared]
    engine_names = {p["name"]: p["engine"] for p in declared}
    ignored = _IGNORED.get(name, ())
    P = inspect.Parameter
    params = [P("self", P.POSITIONAL_OR_KEYWORD), P("df", P.POSITIONAL_OR_KEYWORD)]
    docs = []
    # Positional parameters are those the original had in the same places (``original``, its
    # parameter names), so a positional call written for the original binds the same arguments;
    # the rest are keyword-only.
    keyword_only = False
    for position, p in enumerate(declared):
        keyword_only = (keyword_only or p["name"] in _SELECTION or position >= len(original)
                        or original[position] != p["name"])
        kind = P.KEYWORD_ONLY if keyword_only else P.POSITIONAL_OR_KEYWORD
        required = (p["default"] is None and not params[2:] and p["name"] not in _SELECTION
                    and p["name"] not in renamed.values())
        annotation = _ENGINE_TYPES.get(p["type"], "Any")
        params.append(P(p["name"], kind, default=P.empty if required else p["default"],
                        annotation=annotation if required else f"Optional[{annotation}]"))
        choices = f" One of: {', '.join(map(str, p['choices']))}." if p["choices"] else ""
        # The engine's aliases (config files, CLI) are not keywords here: the original's names are.
        docs.append(f"    {p['name']}: {p['doc']}.{choices}")
    for extra in ignored:
        params.append(P(extra, P.KEYWORD_ONLY, default=None, annotation="Any"))
        docs.append(f"    {extra}: accepted and ignored, as in the original.")
    for extra, doc in (("output_dir", "folder for this call's CSV and report (auto_report)"),
                       ("generator_name", "CSV name prefix (default: the injector's)"),
                       ("auto_report", "write the CSV/report (default: the injector's)")):
        params.append(P(extra, P.KEYWORD_ONLY, default=None, annotation="Optional[Any]"))
        docs.append(f"    {extra}: {doc}.")
    signature = inspect.Signature(params, return_annotation="pd.DataFrame")

    def method(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        values = dict(bound.arguments)
        values.pop("self")
        df = values.pop("df")
        output_dir = values.pop("output_dir", None)
        generator_name = values.pop("generator_name", None)
        auto_report = values.pop("auto_report", None)
        given = {engine_names[k]: v for k, v in values.items()
                 if k in engine_names and v is not None}
        return self._run(name, df, [{"method": name, "params": given}], output_dir,
                         generator_name, auto_report)

    method.__name__ = method.__qualname__ = name
    method.__signature__ = signature
    method.__doc__ = (f"{name}: the engine's drift method (docs/drift.md). Returns a new "
                      f"DataFrame.\n\nArgs:\n    df: the input frame (never modified).\n"
                      + "\n".join(docs))
    return method


_orders = _original_orders()
for _declaration in _declarations():
    setattr(DriftInjector, _declaration["method"],
            _engine_method(_declaration, _orders.get(_declaration["method"], [])))
del _declaration, _orders
