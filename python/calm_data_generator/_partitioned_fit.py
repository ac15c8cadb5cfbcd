"""What calm_data_generator.distributed.fit and .spark.fit share: the engine's stages of fitting
from partitions (sketch, plan, moments: calm/api/partitioned_fit.hpp) on pandas partitions, a
merge order that depends only on the partitions' order, the front end's info of a model fitted
from a frame's dtypes, and the seeded sample the other methods fit on.

Two passes over the data fit gaussian_copula: the partitions' sketches (counts, ranges, distinct
values, quantile summaries) merged into the schema and the marginals, then the partitions' score
moments under those marginals merged into the correlation. Every other method fits on a seeded
sample: each row kept with probability sample_rows / rows (per class of target_col, at least
min(class rows, 100) expected rows per class), from a stream seeded by (seed, partition).
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np
import pandas as pd

from . import _calm
from ._frames import frame_to_columns
from ._options import to_jsonable

LOGGER_NAME = "calm_data_generator.distributed"
MIN_CLASS_ROWS = 100  # expected sample rows of a class rarer than its share allows


def logger_args(logger: Optional[logging.Logger]):
    log = logger if logger is not None else logging.getLogger(LOGGER_NAME)
    return (lambda level, message: log.log(level, message)), log.getEffectiveLevel()


def choose_seed(random_state: Optional[int], logger: Optional[logging.Logger]) -> int:
    if random_state is not None:
        return int(random_state)
    seed = secrets.randbits(63)
    (logger or logging.getLogger(LOGGER_NAME)).info("fit: random_state=None, drew seed %d", seed)
    return seed


def fit_options(method: str, target_col: Optional[str], model_params: Optional[Dict[str, Any]],
                column_types: Optional[Dict[str, str]]) -> Dict[str, Any]:
    options: Dict[str, Any] = {"method": method}
    if target_col is not None:
        options["target_col"] = target_col
    if model_params:
        options["model_params"] = model_params
    if column_types:
        options["column_types"] = column_types
    return options


def sketch(frame: pd.DataFrame) -> bytes:
    columns, _ = frame_to_columns(frame)
    return _calm.partition_sketch(columns)


def moments(plan: bytes, frame: pd.DataFrame, index: int) -> bytes:
    columns, _ = frame_to_columns(frame)
    return _calm.partition_moments(plan, columns, int(index))


def fold(items: Iterable[Any], merge: Callable[[Any, Any], Any]) -> Any:
    """Merges items in a balanced binary tree fixed by their order (a binary counter), holding
    O(log n) partial results: the same tree whatever the engine's scheduling."""
    stack: List[Any] = []  # (level, value)
    for item in items:
        level = 0
        while stack and stack[-1][0] == level:
            item = merge(stack.pop()[1], item)
            level += 1
        stack.append((level, item))
    if not stack:
        raise ValueError("the frame has no partitions")
    acc = stack.pop()[1]
    while stack:
        acc = merge(stack.pop()[1], acc)
    return acc


def plan(sketch_bytes: bytes, options: Dict[str, Any], seed: int,
         logger: Optional[logging.Logger]) -> bytes:
    return _calm.partition_plan(sketch_bytes, json.dumps(to_jsonable(options, "options")), seed,
                                *logger_args(logger))


def front_end_info(meta: pd.DataFrame, random_state: Optional[int]) -> str:
    """RealGenerator.save's info for a model fitted from a frame with `meta`'s dtypes; the
    categories' texts come from the model's dictionaries when it samples."""
    from .generators.tabular.real_generator import _infos_to_json

    _, infos = frame_to_columns(meta.iloc[0:0])
    return json.dumps({"columns": _infos_to_json(infos),
                       "settings": {"auto_report": True, "minimal_report": False,
                                    "random_state": random_state}})


def save(plan_bytes: bytes, moments_bytes: bytes, meta: pd.DataFrame, path: str,
         random_state: Optional[int], logger: Optional[logging.Logger]) -> None:
    _calm.save_partitioned_model(plan_bytes, moments_bytes, front_end_info(meta, random_state),
                                 path, *logger_args(logger))


def keep_probabilities(rows: int, sample_rows: int,
                       class_counts: Optional[pd.Series]) -> Any:
    """The chance each row is kept: one number, or per class of the target (a Series)."""
    if sample_rows < 2:
        raise ValueError(f"sample_rows must be at least 2, got {sample_rows}")
    base = min(1.0, sample_rows / max(rows, 1))
    if class_counts is None:
        return base
    floors = np.minimum(class_counts.to_numpy(dtype=float), MIN_CLASS_ROWS)
    p = np.minimum(1.0, np.maximum(base, floors / np.maximum(class_counts.to_numpy(float), 1)))
    return pd.Series(p, index=class_counts.index)


def sample_partition(frame: pd.DataFrame, index: int, seed: int, keep: Any,
                     target_col: Optional[str]) -> pd.DataFrame:
    """The rows of partition `index` kept by a stream seeded by (seed, index)."""
    rng = np.random.default_rng([int(seed), int(index)])
    u = rng.random(len(frame))
    if isinstance(keep, pd.Series):
        # Rows without a target (or of a class the counts missed) keep the largest chance.
        chances = frame[target_col].astype(object).map(keep.to_dict())
        p = pd.to_numeric(chances, errors="coerce").to_numpy(dtype=float)
        p = np.where(np.isnan(p), float(keep.max()), p)
    else:
        p = np.full(len(frame), float(keep))
    return frame.loc[u < p]


def fit_on_sample(sample: pd.DataFrame, path: str, options: Dict[str, Any], seed: int,
                  random_state: Optional[int], logger: Optional[logging.Logger]) -> None:
    from .generators.tabular import RealGenerator

    if len(sample) < 2:
        raise ValueError(f"the sample of the partitions has {len(sample)} rows; raise sample_rows")
    gen = RealGenerator(auto_report=False, random_state=seed,
                        logger=logger or logging.getLogger(LOGGER_NAME))
    gen.generate(sample.reset_index(drop=True), n_samples=1, **options)
    gen.random_state = random_state
    gen.save(path)


def check_sample_rows(sample_rows: Any) -> int:
    if isinstance(sample_rows, bool) or not isinstance(sample_rows, (int, np.integer)):
        raise TypeError(f"sample_rows must be an int, got {type(sample_rows).__name__}")
    if sample_rows < 2:
        raise ValueError(f"sample_rows must be at least 2, got {sample_rows}")
    return int(sample_rows)


def check_path(path: Any) -> str:
    import os

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path, got {type(path).__name__}")
    return os.fspath(path)


__all__: Sequence[str] = ()
