"""pandas <-> calm tables.

A DataFrame crosses into the engine as a list of *column tuples*
``(name, kind, values, valid, dictionary)`` (see python/src/table_convert.hpp) and comes back the
same way. Every conversion here is vectorised numpy/pandas; the only Python loops run over columns
and over the distinct values of a categorical column, never over rows.

dtype mapping (input -> engine storage -> output):

=============================  ==============  =========================================
pandas dtype                   engine storage  output dtype
=============================  ==============  =========================================
float16/32/64, Float32/64      float64 (NaN)   the input dtype
int8..int64, uint8..uint32     int64           the input dtype
uint64                         int64, or       the input dtype
                               float64 if any
                               value > 2**63-1
Int8..Int64, UInt8..UInt64     int64 + valid   the input dtype (missing stays <NA>)
bool                           boolean         bool
boolean                        boolean + valid boolean
category                       categorical     category, same categories and order flag
object, string, anything else  categorical     the input dtype, the original objects
                               (str() of each
                               distinct value)
datetime64[*], tz-aware        datetime (UTC   the input dtype, time zone re-applied
                               epoch ns)
timedelta64[*]                 int64 (ns)      the input dtype
=============================  ==============  =========================================

Columns the engine adds (the ``date_col`` of date injection) and tables the engine read itself (a CSV
path) come back the way ``pd.read_csv`` gives such data on the installed pandas: float64, int64
(Int64 if missing), bool (boolean if missing); text as pandas' default string dtype (``object`` on
pandas 1.x/2.x, ``str`` on pandas 3 or with ``future.infer_string``); datetimes at pandas' default
resolution for parsed text (``datetime64[ns]`` before pandas 3, ``datetime64[us]`` from pandas 3,
``[ns]`` whenever a value has sub-microsecond digits). An ``object`` input column stays ``object``
on pandas 3 even when it holds only strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

import numpy as np
import pandas as pd

ColumnTuple = Tuple[str, str, np.ndarray, Optional[np.ndarray], Optional[List[str]]]

_INT64_MAX = np.iinfo(np.int64).max
_NAT = np.iinfo(np.int64).min


@dataclass
class ColumnInfo:
    """What is needed to give an engine column back its pandas dtype and label."""

    label: Any
    name: str
    dtype: Any
    kind: str
    tz: Any = None
    # categorical: the original distinct values (category Index or object/string uniques) and
    # the text the engine saw for each of them
    values: Any = None
    texts: List[str] = field(default_factory=list)


def _default_text_dtype() -> Any:
    """The dtype pandas itself gives a column of Python strings (object, or str on pandas 3)."""
    return pd.Series(["text"]).dtype


def _default_datetime_unit() -> str:
    """The resolution pandas gives parsed date text (ns before pandas 3, us from pandas 3)."""
    return np.datetime_data(pd.to_datetime(pd.Series(["2000-01-01 00:00:00"])).dtype)[0]


def _objects(values: np.ndarray) -> pd.Series:
    # An explicit object Series: from a bare object ndarray pandas 3 would infer ``str``.
    return pd.Series(values, dtype=object, copy=False)


def require_column(frame: pd.DataFrame, column: Any, role: str) -> None:
    """ValueError naming ``role`` (the argument) and the valid columns when ``column`` is absent."""
    if column not in frame.columns:
        raise ValueError(f"{role} {column!r} is not a column; columns are: "
                         f"{', '.join(map(str, frame.columns))}")


def _validity(mask_missing: np.ndarray) -> Optional[np.ndarray]:
    if not mask_missing.any():
        return None
    return (~mask_missing).astype(np.uint8)


def _texts(values) -> Tuple[List[str], Optional[np.ndarray]]:
    """str() of each distinct value, and a remapping when two values print the same (1 and "1")."""
    texts = [v if isinstance(v, str) else str(v) for v in values]
    if len(set(texts)) == len(texts):
        return texts, None
    codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
    return [str(u) for u in uniques], codes.astype(np.int32)


def _categorical(series: pd.Series, info: ColumnInfo) -> ColumnTuple:
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy(dtype=np.int32)
        info.values = series.dtype.categories
    else:
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:  # unhashable objects (lists, dicts): compare them by their text
            codes, uniques = pd.factorize(series.astype(str).where(series.notna()))
        codes = codes.astype(np.int32, copy=False)
        info.values = uniques
    texts, remap = _texts(info.values)
    if remap is not None:
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1).astype(np.int32)
        info.values = info.values[np.unique(remap, return_index=True)[1]]
    info.texts = texts
    info.kind = "categorical"
    return (info.name, "categorical", codes, None, texts)


def _to_column(series: pd.Series, info: ColumnInfo) -> ColumnTuple:
    dtype = series.dtype
    name = info.name
    if isinstance(dtype, pd.CategoricalDtype):
        return _categorical(series, info)
    if pd.api.types.is_bool_dtype(dtype):
        info.kind = "boolean"
        if isinstance(dtype, np.dtype):
            return (name, "boolean", series.to_numpy().view(np.uint8), None, None)
        missing = series.isna().to_numpy()
        values = series.to_numpy(dtype=bool, na_value=False).view(np.uint8)
        return (name, "boolean", values, _validity(missing), None)
    if pd.api.types.is_integer_dtype(dtype):
        if isinstance(dtype, np.dtype):
            if dtype == np.uint64 and len(series) and series.max() > _INT64_MAX:
                info.kind = "float64"
                return (name, "float64", series.to_numpy(dtype=np.float64), None, None)
            info.kind = "int64"
            return (name, "int64", series.to_numpy(dtype=np.int64), None, None)
        info.kind = "int64"
        missing = series.isna().to_numpy()
        values = series.to_numpy(dtype=np.int64, na_value=0)
        return (name, "int64", values, _validity(missing), None)
    if pd.api.types.is_float_dtype(dtype):
        info.kind = "float64"
        return (name, "float64", series.to_numpy(dtype=np.float64, na_value=np.nan), None, None)
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        if isinstance(dtype, pd.DatetimeTZDtype):
            info.tz = dtype.tz
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        info.kind = "datetime"
        ns = series.to_numpy(dtype="datetime64[ns]").view(np.int64)
        return (name, "datetime", ns, _validity(ns == _NAT), None)
    if pd.api.types.is_timedelta64_dtype(dtype):
        info.kind = "int64"
        ns = series.to_numpy(dtype="timedelta64[ns]").view(np.int64)
        return (name, "int64", np.where(ns == _NAT, 0, ns), _validity(ns == _NAT), None)
    if pd.api.types.is_complex_dtype(dtype):
        raise TypeError(f"column {info.label!r} has complex dtype {dtype}, which calm cannot model")
    return _categorical(series, info)


def frame_to_columns(frame: pd.DataFrame) -> Tuple[List[ColumnTuple], List[ColumnInfo]]:
    """A DataFrame as engine column tuples, plus what is needed to convert the result back."""
    names = [label if isinstance(label, str) else str(label) for label in frame.columns]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"duplicate column names {dup}; calm needs unique column names")
    columns, infos = [], []
    for position, (label, name) in enumerate(zip(frame.columns, names)):
        series = frame.iloc[:, position]
        info = ColumnInfo(label=label, name=name, dtype=series.dtype, kind="")
        columns.append(_to_column(series, info))
        infos.append(info)
    return columns, infos


# ---------------------------------------------------------------------------------------------
# engine -> pandas


def _missing_mask(valid: Optional[np.ndarray], n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool) if valid is None else valid == 0


def _natural(kind: str, values: np.ndarray, valid, dictionary) -> Any:
    """The default pandas form of an engine column (for columns the input did not have)."""
    missing = _missing_mask(valid, len(values))
    if kind == "float64":
        return values
    if kind == "int64":
        return pd.arrays.IntegerArray(values, missing) if missing.any() else values
    if kind == "boolean":
        flags = values.astype(bool)
        return pd.arrays.BooleanArray(flags, missing) if missing.any() else flags
    if kind == "datetime":
        stamps = np.where(missing, _NAT, values).view("datetime64[ns]")
        unit = _default_datetime_unit()
        if unit == "ns" or (values[~missing] % 1000 != 0).any():
            return stamps
        return stamps.astype(f"datetime64[{unit}]")
    pool = np.empty(len(dictionary) + 1, dtype=object)
    pool[: len(dictionary)] = dictionary
    pool[-1] = np.nan
    texts = pool[values]  # code -1 picks the trailing NaN
    dtype = _default_text_dtype()
    return _objects(texts) if dtype == object else pd.array(texts, dtype=dtype)


def _category_positions(info: ColumnInfo, dictionary: List[str]) -> Tuple[np.ndarray, list]:
    """For each engine dictionary entry, its position among the original values (new texts, which
    the engine does not normally produce, are appended). Index len(dictionary) maps missing."""
    lookup = {text: i for i, text in enumerate(info.texts)}
    extra: list = []
    positions = np.empty(len(dictionary) + 1, dtype=np.int64)
    for j, text in enumerate(dictionary):
        i = lookup.get(text)
        if i is None:
            i = len(info.texts) + len(extra)
            extra.append(text)
        positions[j] = i
    positions[-1] = -1
    return positions, extra


def _restore_categorical(info: ColumnInfo, codes: np.ndarray, dictionary: List[str]) -> Any:
    positions, extra = _category_positions(info, dictionary)
    original = positions[codes]  # code -1 -> positions[-1] = -1
    if isinstance(info.dtype, pd.CategoricalDtype):
        dtype = info.dtype
        if extra:
            dtype = pd.CategoricalDtype(list(info.values) + extra, ordered=info.dtype.ordered)
        return pd.Categorical.from_codes(original, dtype=dtype)
    pool = np.empty(len(info.values) + len(extra) + 1, dtype=object)
    for i, value in enumerate(list(info.values) + extra):
        pool[i] = value
    pool[-1] = pd.NA if isinstance(info.dtype, pd.StringDtype) else np.nan
    values = pool[original]
    if isinstance(info.dtype, np.dtype) and info.dtype == object:
        return _objects(values)
    try:
        return pd.array(values, dtype=info.dtype)
    except (TypeError, ValueError):
        return values


def _restore(info: ColumnInfo, kind: str, values: np.ndarray, valid, dictionary) -> Any:
    if kind != info.kind:
        return _natural(kind, values, valid, dictionary)
    if kind == "categorical":
        return _restore_categorical(info, values, dictionary)
    missing = _missing_mask(valid, len(values))
    dtype = info.dtype
    if kind == "float64":
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            return values.astype(dtype, copy=False)
        try:  # nullable Float, or a uint64 column that held values beyond int64
            return pd.array(values, dtype=dtype)
        except (TypeError, ValueError):
            return values
    if kind == "int64":
        if pd.api.types.is_timedelta64_dtype(dtype):
            return np.where(missing, _NAT, values).view("timedelta64[ns]").astype(dtype, copy=False)
        if isinstance(dtype, np.dtype):
            if missing.any():  # an integer column cannot hold a gap: widen rather than invent 0
                return pd.arrays.IntegerArray(values, missing)
            return values.astype(dtype, copy=False)
        return pd.arrays.IntegerArray(values, missing).astype(dtype)
    if kind == "boolean":
        flags = values.astype(bool)
        if isinstance(dtype, np.dtype) and not missing.any():
            return flags
        return pd.arrays.BooleanArray(flags, missing)
    # datetime
    stamps = np.where(missing, _NAT, values).view("datetime64[ns]")
    if info.tz is not None:
        return pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(info.tz).astype(dtype)
    return stamps.astype(dtype, copy=False)


def columns_to_frame(columns: List[ColumnTuple], infos: List[ColumnInfo]) -> pd.DataFrame:
    """Engine column tuples as a DataFrame with the input's labels and dtypes, RangeIndex."""
    by_name = {info.name: info for info in infos}
    data = {}
    for name, kind, values, valid, dictionary in columns:
        info = by_name.get(name)
        if info is None:
            data[name] = _natural(kind, values, valid, dictionary)
        else:
            data[info.label] = _restore(info, kind, values, valid, dictionary)
    frame = pd.DataFrame(data, copy=False)
    if not columns:
        frame = pd.DataFrame(index=pd.RangeIndex(0))
    return frame
