"""Python values -> the JSON the engine's GenerateOptions::from_json reads.

Dict keys become text the way the engine matches them against column values: category labels as
they are, numbers as their decimal text (0 -> "0", 0.5 -> "0.5"), booleans as "True"/"False".
numpy scalars count as the Python number they hold; dates become ISO text; paths become text.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import numbers
import os
from typing import Any, Mapping

import numpy as np


def key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (bool, np.bool_)):
        return "True" if key else "False"
    if isinstance(key, numbers.Integral):
        return str(int(key))
    if isinstance(key, numbers.Real):
        value = float(key)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(key, (_dt.date, _dt.datetime)):
        return key.isoformat()
    return str(key)


def to_jsonable(value: Any, where: str) -> Any:
    """`value` as plain JSON types; TypeError naming `where` for anything else."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{where} must be a finite number, got {number}")
        return number
    if isinstance(value, Mapping):
        return {key_text(k): to_jsonable(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{where}: a {type(value).__name__} cannot be passed to the engine "
                    "(use dicts, lists, strings, numbers, booleans or None)")


def options_json(options: Mapping[str, Any]) -> str:
    return json.dumps({k: to_jsonable(v, k) for k, v in options.items()})
