"""RealBlockGenerator: one model per block (a block column, fixed-size chunks, or runs of a
timestamp), with the original library's signatures (../shared/original-behaviour.md §7).

Importable both ways the original's users write it:
``from calm_data_generator.generators.tabular import RealBlockGenerator`` and
``from calm_data_generator.generators.tabular.RealBlockGenerator import RealBlockGenerator``.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any, Dict, List, Optional, Union

import numpy as np
import pandas as pd

from ..._frames import require_column
from ..._io import write_atomic
from .real_generator import RealGenerator, _as_frame, _bind_generate


class RealBlockGenerator(RealGenerator):
    """Trains a separate model for each block (C++: calm::RealBlockGenerator).

    Args:
        auto_report: write the combined and per-block reports when ``output_dir`` is given.
        random_state: seed (default 42, as the original).
        verbose: log progress at INFO (otherwise WARNING and above only).
        minimal_report, logger: as RealGenerator's (calm extensions, keyword-only).
    """

    def __init__(self, auto_report: bool = True, random_state: Optional[int] = 42,
                 verbose: bool = True, *, minimal_report: bool = False,
                 logger: Optional[logging.Logger] = None) -> None:
        super().__init__(auto_report=auto_report, minimal_report=minimal_report,
                         random_state=random_state, logger=logger)
        self.verbose = bool(verbose)

    def generate(self, data: Any, output_dir: Optional[Union[str, os.PathLike]] = None,
                 method: str = "cart", target_col: Optional[str] = None,
                 block_column: Optional[str] = None, chunk_size: Optional[int] = None,
                 chunk_by_timestamp: Optional[str] = None,
                 n_samples_block: Optional[Union[int, Dict[Any, int]]] = None,
                 drift_config: Optional[List[Dict[str, Any]]] = None,
                 custom_distributions: Optional[Dict[str, Any]] = None,
                 date_start: Optional[str] = None, date_step: Optional[Dict[str, int]] = None,
                 date_col: str = "timestamp", model_params: Optional[Dict[str, Any]] = None,
                 *, n_samples: Optional[int] = None,
                 n_samples_per_block: Optional[Dict[Any, int]] = None,
                 skip_small_blocks: bool = False, **kwargs: Any) -> pd.DataFrame:
        """Fits one model per block and returns the blocks' synthetic rows in block order.

        Exactly one block strategy: ``block_column`` (an existing column), ``chunk_size`` (rows
        0..k-1 are chunk 0, ...; a new column ``chunk``) or ``chunk_by_timestamp`` (a new
        ``chunk`` numbering the runs of equal values of that column from 1). Rows per block:
        ``n_samples_block`` None = the block's real size, an int = that many for every block, a
        dict = ``{block: rows}`` (blocks not named keep their real size); or ``n_samples`` split
        in proportion to the real sizes (calm extension). ``drift_config`` is a
        drift_injection_config applied to the combined rows. With ``date_start`` every row of the
        i-th block (sorted order) gets ``date_start + i·date_step`` (default one day) in
        ``date_col``, appended. With ``output_dir``, ``complete_block_dataset_<method>.csv`` is
        written there (atomically) and, with auto_report, the reports. ``output_dir`` is optional
        here (the original required it, so the seed's own example failed); other keywords are
        RealGenerator.generate's."""
        frame = _as_frame(data)
        given = [name for name, value in (("block_column", block_column),
                                          ("chunk_size", chunk_size),
                                          ("chunk_by_timestamp", chunk_by_timestamp))
                 if value is not None]
        if len(given) != 1:
            raise ValueError("give exactly one block strategy: block_column, chunk_size or "
                             f"chunk_by_timestamp (got {', '.join(given) or 'none'})")
        frame, block_column = self._blocked(frame, block_column, chunk_size, chunk_by_timestamp)
        sizes = self._block_sizes(frame[block_column], n_samples_block, n_samples_per_block)
        if n_samples is None:
            n_samples = sum(sizes.values()) if sizes else len(frame)
        # The other keywords are RealGenerator.generate's, checked against its signature.
        named = {"n_samples": n_samples, "method": method, "target_col": target_col,
                 "output_dir": output_dir, "custom_distributions": custom_distributions,
                 "drift_injection_config": drift_config, "model_params": model_params}
        twice = sorted(set(named) & set(kwargs))
        if twice:
            raise TypeError(f"generate() got multiple values for {', '.join(twice)}")
        _, options = _bind_generate((self, frame), {**named, **kwargs})
        out = self._run(frame, options, blocks={"block_column": str(block_column),
                                                "block_sizes": sizes,
                                                "skip_small_blocks": bool(skip_small_blocks)})
        if date_start is not None:
            order = {b: i for i, b in enumerate(sorted(frame[block_column].dropna().unique(),
                                                       key=str))}
            step = pd.DateOffset(**(date_step or {"days": 1}))
            start = pd.Timestamp(date_start)
            out[date_col] = [start + step * order[b] if b in order else pd.NaT
                             for b in out[block_column]]
        if output_dir:
            os.makedirs(output_dir, exist_ok=True)
            path = write_atomic(out, os.path.join(os.fspath(output_dir),
                                                  f"complete_block_dataset_{method}.csv"))
            self.last_files = list(self.last_files) + [path]
        return out

    @staticmethod
    def _blocked(frame: pd.DataFrame, block_column, chunk_size, chunk_by_timestamp):
        if block_column is not None:
            require_column(frame, block_column, "block_column")
            return frame, block_column
        if "chunk" in frame.columns:
            raise ValueError("the data already has a column 'chunk', which chunk_size/"
                             "chunk_by_timestamp would create; rename it or use block_column")
        if chunk_size is not None:
            if isinstance(chunk_size, bool) or int(chunk_size) != chunk_size or chunk_size <= 0:
                raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
            chunks = np.arange(len(frame)) // int(chunk_size)
        else:
            require_column(frame, chunk_by_timestamp, "chunk_by_timestamp")
            column = frame[chunk_by_timestamp]
            chunks = (column != column.shift()).cumsum().to_numpy()
        return frame.assign(chunk=chunks), "chunk"

    @staticmethod
    def _block_sizes(blocks: pd.Series, n_samples_block, n_samples_per_block):
        if n_samples_block is not None and n_samples_per_block is not None:
            raise ValueError("give n_samples_block or n_samples_per_block, not both")
        if n_samples_block is None and n_samples_per_block is None:
            return None
        counts = blocks.value_counts(dropna=True)
        if isinstance(n_samples_block, (int, np.integer)) and not isinstance(n_samples_block, bool):
            if n_samples_block < 0:
                raise ValueError(f"n_samples_block must be >= 0, got {n_samples_block}")
            return {str(b): int(n_samples_block) for b in counts.index}
        wanted = n_samples_block if n_samples_block is not None else n_samples_per_block
        if not isinstance(wanted, dict):
            raise TypeError(f"n_samples_block must be an int or a dict {{block: rows}}, got "
                            f"{type(wanted).__name__}")
        by_text = {str(b): int(n) for b, n in counts.items()}
        unknown = sorted(str(b) for b in wanted if str(b) not in by_text)
        if unknown:
            raise ValueError(f"n_samples_block names blocks that are not in the data: {unknown}; "
                             f"blocks are: {sorted(by_text)}")
        named = {str(b): int(n) for b, n in wanted.items()}
        if n_samples_per_block is not None:  # calm's earlier form: exactly the blocks named
            return named
        return {b: named.get(b, n) for b, n in by_text.items()}

    @staticmethod
    def save_block_dataset(df: pd.DataFrame, output_path: str, block_column: str,
                           method: str = "cart", format: str = "csv",
                           separate_blocks: bool = False) -> Union[str, List[str]]:
        """Writes ``df`` as csv, parquet or excel/xlsx (atomically). ``separate_blocks`` writes
        ``synthetic_block_<method>_block_<id>.<ext>`` per block into the folder ``output_path``.
        Returns the path(s) written."""
        writers = {"csv": ("to_csv", "csv"), "parquet": ("to_parquet", "parquet"),
                   "excel": ("to_excel", "xlsx"), "xlsx": ("to_excel", "xlsx")}
        if format not in writers:
            raise ValueError(f"format must be one of {', '.join(writers)}, got {format!r}")
        writer, ext = writers[format]
        if not separate_blocks:
            parent = os.path.dirname(os.fspath(output_path))
            if parent:
                os.makedirs(parent, exist_ok=True)
            return write_atomic(df, output_path, writer)
        require_column(df, block_column, "block_column")
        os.makedirs(output_path, exist_ok=True)
        paths = []
        for block, rows in df.groupby(block_column, sort=True):
            path = os.path.join(os.fspath(output_path),
                                f"synthetic_block_{method}_block_{block}.{ext}")
            paths.append(write_atomic(rows, path, writer))
        return paths

    @staticmethod
    def analyze_block_statistics(original: pd.DataFrame, synthetic: pd.DataFrame,
                                 block_column: str, target_col: Optional[str] = None
                                 ) -> Dict[Any, Dict[str, Any]]:
        """Per block: real and synthetic sizes, target counts, numeric means and stds."""
        stats: Dict[Any, Dict[str, Any]] = {}
        numeric = [c for c in original.select_dtypes("number").columns
                   if c != block_column and c in synthetic.columns]
        for block in sorted(set(original[block_column].dropna()) |
                            set(synthetic[block_column].dropna()), key=str):
            real = original[original[block_column] == block]
            syn = synthetic[synthetic[block_column] == block]
            entry: Dict[str, Any] = {"original_size": len(real), "synthetic_size": len(syn),
                                     "original_means": real[numeric].mean().to_dict(),
                                     "synthetic_means": syn[numeric].mean().to_dict(),
                                     "original_stds": real[numeric].std().to_dict(),
                                     "synthetic_stds": syn[numeric].std().to_dict()}
            if target_col is not None and target_col in original.columns:
                entry["original_target_counts"] = real[target_col].value_counts().to_dict()
                entry["synthetic_target_counts"] = syn[target_col].value_counts().to_dict()
            stats[block] = entry
        return stats

    @staticmethod
    def get_block_info(data: pd.DataFrame, block_column: str,
                       target_col: Optional[str] = None) -> Dict[Any, Dict[str, Any]]:
        """Per block: size, share of rows (%), target distribution, feature means, missing cells."""
        require_column(data, block_column, "block_column")
        info: Dict[Any, Dict[str, Any]] = {}
        numeric = [c for c in data.select_dtypes("number").columns if c != block_column]
        for block, rows in data.groupby(block_column, sort=True):
            entry: Dict[str, Any] = {"size": len(rows),
                                     "percentage": 100.0 * len(rows) / max(1, len(data)),
                                     "feature_means": rows[numeric].mean().to_dict(),
                                     "missing_values": int(rows.isna().sum().sum())}
            if target_col is not None and target_col in data.columns:
                entry["target_distribution"] = rows[target_col].value_counts().to_dict()
            info[block] = entry
        return info


# The original's users import the class from a module of the same name:
# `from calm_data_generator.generators.tabular.RealBlockGenerator import RealBlockGenerator`.
# The module object is replaced by the class in sys.modules, so the package attribute
# `calm_data_generator.generators.tabular.RealBlockGenerator` stays the class whichever import ran.
RealBlockGenerator.RealBlockGenerator = RealBlockGenerator  # type: ignore[attr-defined]
sys.modules[__name__] = RealBlockGenerator  # type: ignore[assignment]
