"""CSV files read by the engine's reader (typed, parallel) straight into a DataFrame, and frames
written atomically."""

from __future__ import annotations

import os
from typing import Union

import pandas as pd

from . import _calm
from ._frames import columns_to_frame


def read_csv(path: Union[str, os.PathLike]) -> pd.DataFrame:
    """Reads a CSV file the way the calm CLI does: integers -> int64 (Int64 with gaps), numbers ->
    float64, true/false tokens -> bool, ISO dates -> datetime64 and anything else -> text, both as
    ``pd.read_csv(..., parse_dates=...)`` gives them on the installed pandas (``object`` and
    ``[ns]`` before pandas 3, ``str`` and ``[us]`` from pandas 3).
    FileNotFoundError if it does not exist; ValueError for malformed files."""
    return columns_to_frame(_calm.read_csv(os.fspath(path)), [])


def write_atomic(frame: pd.DataFrame, path: Union[str, os.PathLike], writer: str = "to_csv") -> str:
    """Writes ``frame`` with ``DataFrame.<writer>`` (to_csv, to_parquet, to_excel) to a temporary
    name beside ``path``, then renames it: a reader never sees half a file. Returns the path."""
    path = os.fspath(path)
    temp = f"{path}.tmp{os.path.splitext(path)[1]}"  # keeps the extension to_excel looks at
    getattr(frame, writer)(temp, index=False)
    os.replace(temp, path)
    return path
