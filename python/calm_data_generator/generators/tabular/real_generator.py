"""RealGenerator: the seed's tabular generator, name for name, over the calm C++ engine.

This layer only converts: pandas -> engine tables (calm_data_generator._frames), keyword
arguments -> the engine's GenerateOptions (JSON), engine log records -> a logging.Logger. Every
check and every algorithm is the engine's, so the Python API, the CLI and the C++ API agree.
generate()'s keywords, defaults and docstring are the engine's declaration of its options
(GenerateOptions::declared_options, `calm options`); real_generator.pyi spells them out for IDEs and
a test holds it to the declaration.
"""

from __future__ import annotations

import inspect
import json
import logging
import operator
import os
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from ... import _calm
from ..._docs import generate_doc, python_options
from ..._anndata import (anndata_csr, anndata_frame, cells_frame, cells_to_anndata,
                         frame_to_anndata, is_anndata, numeric_genes, takes_cells_path)
from ..._frames import ColumnInfo, columns_to_frame, frame_to_columns
from ..._options import options_json

DEFAULT_LOGGER_NAME = "calm_data_generator"


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValueError(f"a numpy array as data must be 2-D (rows x columns), got {data.ndim}-D")
        return pd.DataFrame(data)
    if isinstance(data, (str, os.PathLike)):
        from ..._io import read_csv, read_table

        return read_table(data) if os.fspath(data).endswith(".h5ad") else read_csv(data)
    if is_anndata(data):
        # AnnData: expression matrix (var names as columns) plus every obs column, as the seed did.
        return anndata_frame(data)[0]
    raise TypeError(f"data must be a pandas DataFrame, a 2-D numpy array, a CSV or .h5ad path "
                    f"or an AnnData, got {type(data).__name__}")


def _label_text(label: Any) -> Any:
    return label if label is None or isinstance(label, str) else str(label)


_UNSET: Any = object()


def _generate_signature() -> inspect.Signature:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [inspect.Parameter("self", kind), inspect.Parameter("data", kind, annotation="Any")]
    for option in python_options():
        default = inspect.Parameter.empty if option["required"] else option["default"]
        params.append(inspect.Parameter(option["name"], kind, default=default,
                                        annotation=option["python"]))
    # The front end's own keyword (not an engine option): the form of the result.
    params.append(inspect.Parameter("return_anndata", inspect.Parameter.KEYWORD_ONLY,
                                    default=False, annotation="bool"))
    return inspect.Signature(params, return_annotation="pd.DataFrame")


_GENERATE_SIGNATURE = _generate_signature()
_COLUMN_OPTIONS = frozenset(o["name"] for o in python_options() if o["column"])


def _bind_generate(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Tuple[Any, Dict[str, Any]]:
    """(data, engine options) of a generate(self, ...) call, checked against the signature: an
    unknown or missing keyword is a TypeError, as for any Python function."""
    bound = _GENERATE_SIGNATURE.bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    arguments.pop("self")
    arguments.pop("return_anndata", None)  # the front end's, not the engine's
    data = arguments.pop("data")
    n = arguments.get("n_samples")
    # A count of the wrong type is a TypeError, as Python's own functions raise; its value (0,
    # negative, a fraction) is checked by the engine (ValueError), which takes 10.0 as 10.
    numbers = (int, np.integer, float, np.floating)
    if n is not None and (isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers)):
        raise TypeError(f"n_samples must be an integer, got {n!r} ({type(n).__name__})")
    options = {name: _label_text(value) if name in _COLUMN_OPTIONS else value
               for name, value in arguments.items()}
    return data, options


def _plain(value: Any) -> Any:
    """A JSON-safe form of a label or category value; raises TypeError when there is none."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(type(value).__name__)


def _infos_to_json(infos: List[ColumnInfo]) -> List[Dict[str, Any]]:
    """What columns_to_frame needs to give a loaded model's output the training frame's labels
    and dtypes, as JSON (no pickle: loading a model file never runs code)."""
    out = []
    for info in infos:
        entry: Dict[str, Any] = {"name": info.name, "dtype": str(info.dtype), "kind": info.kind,
                                 "tz": None if info.tz is None else str(info.tz),
                                 "texts": list(info.texts)}
        try:
            entry["label"] = _plain(info.label)
        except TypeError:
            entry["label"] = info.name
        if isinstance(info.dtype, pd.CategoricalDtype):
            entry["ordered"] = bool(info.dtype.ordered)
        if info.values is not None:
            try:
                entry["values"] = [_plain(v) for v in list(info.values)]
            except TypeError:
                entry["values"] = list(info.texts)  # objects without a JSON form: their text
        out.append(entry)
    return out


def _infos_from_json(entries: List[Dict[str, Any]]) -> List[ColumnInfo]:
    infos = []
    for e in entries:
        values = e.get("values")
        if "ordered" in e:
            dtype: Any = pd.CategoricalDtype(values or [], ordered=e["ordered"])
        else:
            try:
                dtype = pd.api.types.pandas_dtype(e["dtype"])
            except TypeError:
                dtype = np.dtype(object)
            if isinstance(dtype, np.dtype) and dtype.kind in "US":
                # "str" saved under pandas 3 names numpy's fixed-width text on older pandas
                dtype = np.dtype(object)
        if values is not None and not isinstance(dtype, pd.CategoricalDtype):
            values = pd.Index(values, dtype=object) if values else pd.Index([], dtype=object)
        elif isinstance(dtype, pd.CategoricalDtype):
            values = dtype.categories
        infos.append(ColumnInfo(label=e["label"], name=e["name"], dtype=dtype, kind=e["kind"],
                                tz=e.get("tz"), values=values, texts=list(e.get("texts", []))))
    return infos


# Why a generator whose last generate() took the cells path (_run_cells) has no model.
_NO_CELLS_MODEL = ("the last generate() ran a single-cell method on a large AnnData's sparse "
                   "matrix, which keeps no model (docs/single_cell.md, 'Large AnnData files'); "
                   "call generate() with the data again")


class RealGenerator:
    """Learns a real table and generates synthetic rows like it.

    Args:
        auto_report: write the quality reports to ``output_dir`` when generate() is given one.
        minimal_report: lighter reports (no pair metrics, correlations, PCA or privacy metrics).
        random_state: seed (an int >= 0); the same seed and inputs give the same output, whatever
            the number of threads. None draws a fresh seed and logs it.
        logger: a logging.Logger that receives the engine's records (DEBUG/INFO/WARNING/ERROR);
            default ``logging.getLogger("calm_data_generator")``.
    """

    def __init__(self, auto_report: bool = True, minimal_report: bool = False,
                 random_state: Optional[int] = None,
                 logger: Optional[logging.Logger] = None) -> None:
        if random_state is not None:
            if isinstance(random_state, (bool, np.bool_)):
                raise TypeError("random_state must be an int or None, got a bool")
            try:
                random_state = operator.index(random_state)
            except TypeError:
                raise TypeError(f"random_state must be an int or None, "
                                f"got {type(random_state).__name__}") from None
            if not 0 <= random_state < 2**64:
                raise ValueError(f"random_state must be in [0, 2**64), got {random_state}")
        if logger is not None and not callable(getattr(logger, "log", None)):
            raise TypeError(f"logger must be a logging.Logger, got {type(logger).__name__}")
        self.auto_report = bool(auto_report)
        self.minimal_report = bool(minimal_report)
        self.random_state = random_state
        self.logger = logger if logger is not None else logging.getLogger(DEFAULT_LOGGER_NAME)
        #: the seed the last generate() used (random_state, or the one drawn when it was None)
        self.last_seed: Optional[int] = None
        #: the files the last generate() wrote to output_dir
        self.last_files: List[str] = []
        # The fitted model of the last generate() with data (or of load()), and the dtypes of the
        # frame it was fitted on.
        self._model: Any = None
        self._infos: List[ColumnInfo] = []
        self._genes: Optional[List[str]] = None  # an AnnData input's var_names
        self._ran_on_cells = False  # the last generate() took the cells path (keeps no model)

    def _level(self) -> int:
        get_level = getattr(self.logger, "getEffectiveLevel", None)
        return get_level() if callable(get_level) else logging.DEBUG

    def generate(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        return_anndata = kwargs.pop("return_anndata", False)
        if not isinstance(return_anndata, bool):
            raise TypeError(f"return_anndata must be True or False, got {return_anndata!r}")
        data, options = _bind_generate((self,) + args, kwargs)
        if data is None:  # the seed's generate(data=None, n_samples=k) on a fitted/loaded model
            result = self._sample(options)
        else:
            self._genes = None
            if is_anndata(data) and takes_cells_path(data) and _calm.runs_on_cells(
                    options_json(options)):
                return self._run_cells(data, options, return_anndata)
            if is_anndata(data):
                data, self._genes = anndata_frame(data)
            result = self._run(data, options)
        if return_anndata:
            return frame_to_anndata(result, self._genes or numeric_genes(result))
        return result

    def _run(self, data: Any, options: Dict[str, Any],
             blocks: Optional[Dict[str, Any]] = None) -> pd.DataFrame:
        """Runs the engine on `data`; `blocks` (RealBlockGenerator: block_column, block_sizes,
        skip_small_blocks) fits one model per block instead of one model kept for save()."""
        frame = _as_frame(data)
        columns, infos = frame_to_columns(frame)
        settings = self._settings()
        if blocks is None:
            synthetic, files, seed, model = _calm.generate(*settings, columns,
                                                           options_json(options))
        else:
            synthetic, files, seed = _calm.generate_blocks(*settings, columns,
                                                           options_json(options), **blocks)
            model = None
        self.last_seed = seed
        self.last_files = list(files)
        if model is not None:
            self._model, self._infos = model, infos
            self._ran_on_cells = False
        return columns_to_frame(synthetic, infos)

    def _settings(self) -> Tuple[Any, ...]:
        logger = self.logger
        return (self.auto_report, self.minimal_report, self.random_state,
                lambda level, message: logger.log(level, message), self._level())

    def _run_cells(self, adata: Any, options: Dict[str, Any], return_anndata: bool) -> Any:
        """A single-cell method on a large AnnData's sparse matrix (the cells path of
        _anndata.py): X never becomes a dense table; the result is made dense only when a
        DataFrame is asked for."""
        from scipy import sparse
        x, genes, obs = anndata_csr(adata)
        obs_columns, infos = frame_to_columns(obs)
        (indptr, indices, values, cells, genes, integer, synthetic_obs, files,
         seed) = _calm.generate_cells(*self._settings(), x.indptr, x.indices, x.data,
                                      adata.n_obs, adata.n_vars, genes, obs_columns,
                                      options_json(options))
        self.last_seed = seed
        self.last_files = list(files)
        self._model, self._infos, self._genes = None, [], list(genes)
        self._ran_on_cells = True
        matrix = sparse.csr_matrix((values, indices, indptr), shape=(cells, len(genes)))
        obs_frame = columns_to_frame(synthetic_obs, infos)
        if return_anndata:
            return cells_to_anndata(matrix, obs_frame, self._genes)
        return cells_frame(matrix, self._genes, integer, obs_frame)

    def _sample(self, options: Dict[str, Any]) -> pd.DataFrame:
        """generate(data=None, ...): rows from the fitted or loaded model."""
        if self._model is None and self._ran_on_cells:
            raise ValueError(f"generate() got no data and {_NO_CELLS_MODEL}")
        if self._model is None:
            raise ValueError("generate() got no data and this generator has no fitted model: "
                             "pass data, or load a saved model with RealGenerator.load(path)")
        synthetic, files, seed = self._model.sample(*self._settings(), options_json(options))
        self.last_seed = seed
        self.last_files = list(files)
        return columns_to_frame(synthetic, self._infos)

    def save(self, path: Union[str, os.PathLike]) -> None:
        """Saves the fitted model of the last generate() (see docs/persistence.md): one file,
        written atomically, that RealGenerator.load reads back. Raises ValueError when nothing
        has been fitted yet."""
        if self._model is None and self._ran_on_cells:
            raise ValueError(f"nothing to save: {_NO_CELLS_MODEL}")
        if self._model is None:
            raise ValueError("nothing to save: call generate() with data first")
        info = {"columns": _infos_to_json(self._infos),
                "settings": {"auto_report": self.auto_report,
                             "minimal_report": self.minimal_report,
                             "random_state": self.random_state}}
        self._model.save(os.fspath(path), json.dumps(info))

    @classmethod
    def load(cls, path: Union[str, os.PathLike], auto_report: Any = _UNSET,
             minimal_report: Any = _UNSET, random_state: Any = _UNSET,
             logger: Optional[logging.Logger] = None) -> "RealGenerator":
        """A generator holding the model saved at ``path``; ``generate(data=None, n_samples=k)``
        samples from it. Settings not given are the saved generator's. FileNotFoundError when the
        file is missing, ValueError when it is not a calm model, truncated or of another
        format version."""
        model = _calm.Model.load(os.fspath(path))
        try:
            info = json.loads(model.front_end_info) if model.front_end_info else {}
        except ValueError:
            info = {}
        saved = info.get("settings", {})
        gen = cls(auto_report=saved.get("auto_report", True) if auto_report is _UNSET
                  else auto_report,
                  minimal_report=saved.get("minimal_report", False) if minimal_report is _UNSET
                  else minimal_report,
                  random_state=saved.get("random_state") if random_state is _UNSET
                  else random_state,
                  logger=logger)
        gen._model = model
        gen._infos = _infos_from_json(info.get("columns", []))
        return gen

    def __repr__(self) -> str:
        return (f"RealGenerator(auto_report={self.auto_report}, "
                f"minimal_report={self.minimal_report}, random_state={self.random_state}, "
                f"logger={self.logger.name if hasattr(self.logger, 'name') else self.logger!r})")


RealGenerator.generate.__signature__ = _GENERATE_SIGNATURE  # type: ignore[attr-defined]
RealGenerator.generate.__doc__ = generate_doc()
