"""CSV files read by the engine's reader (typed, parallel) straight into a DataFrame, and frames
written atomically."""

from __future__ import annotations

import os
from typing import Optional, Union

import pandas as pd

from . import _calm
from ._frames import columns_to_frame, frame_to_columns


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


def read_table(source: Union[str, os.PathLike], table: Optional[str] = None,
               query: Optional[str] = None) -> pd.DataFrame:
    """Reads a table the way ``calm generate`` does: a CSV file, an AnnData file (``.h5ad``: one
    column per gene, then the obs columns), a SQLite file (``.sqlite``, ``.sqlite3``, ``.db``) or
    a ``postgresql://`` URL, with exactly one of ``table`` or ``query``
    for databases (docs/databases.md). Types as for read_csv. FileNotFoundError for a missing
    file; ValueError for a bad table, query or URL."""
    return columns_to_frame(_calm.read_table(os.fspath(source), table, query), [])


def write_table(frame: pd.DataFrame, target: Union[str, os.PathLike], table: str = "",
                if_exists: str = "fail") -> str:
    """Writes ``frame`` to a CSV file, a SQLite table or a PostgreSQL table (``target`` as in
    ``calm -o``, ``table`` needed for databases), atomically: a new file appears complete, a
    table is created in one transaction. ``if_exists``: "fail", "replace" or "append" for an
    existing table. Returns the target."""
    columns, _ = frame_to_columns(frame)
    _calm.write_table(columns, os.fspath(target), table, if_exists)
    return os.fspath(target)
