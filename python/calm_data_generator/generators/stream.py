"""StreamGenerator: synthetic rows without end (or up to ``n_samples``), batch by batch, from a
fitted RealGenerator or a saved ``.calm`` model — the seed's "StreamGenerator for infinite flows".

Row r of the stream is row r of ``calm sample -n N`` with the same seed (the engine samples in
blocks of 262,144 rows, each with a seed of its own: see docs/streaming.md), so batches of any
size give the same rows, memory stays at one block, and a stream can be split across processes
with :meth:`StreamGenerator.rows`.
"""

from __future__ import annotations

import logging
import operator
import os
from typing import Any, Iterator, Optional, Union

import pandas as pd

from .. import _calm
from .._frames import columns_to_frame
from .._options import options_json
from .tabular.real_generator import RealGenerator

# The generate() options that apply to a stream's rows.
_STREAM_OPTIONS = ("custom_distributions", "constraints", "date_col", "date_start", "date_step",
                   "date_every", "balance_target", "target_col", "drift_injection_config")


def _count(value: Any, name: str, allow_none: bool) -> Optional[int]:
    if value is None and allow_none:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got a bool")
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, got {type(value).__name__}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


class StreamGenerator:
    """Synthetic rows from a fitted model, as an iterator of DataFrames of ``batch_size`` rows.

    Args:
        source: a fitted :class:`RealGenerator` (after ``generate(data, ...)`` or ``load``) or
            the path of a model file saved with ``RealGenerator.save`` / ``calm generate
            --save-model``.
        batch_size: rows per DataFrame (the last one is shorter when ``n_samples`` is not a
            multiple).
        n_samples: total rows; None streams without end.
        random_state: the stream's seed; default the generator's. None there too draws one (see
            :attr:`seed`). The same seed gives the same rows whatever the batch size.
        real_data: the training DataFrame, needed by ``fixed_combinations`` constraints only.
        logger: receives the engine's records; default the generator's logger.
        **options: generate()'s sampling options: custom_distributions, constraints (met per
            block of 262,144 rows), date_col/date_start/date_step/date_every (dates continue
            across batches), balance_target, drift_injection_config (by global row: a drift
            with ``start_index=10_000_000`` starts at that row of the stream; windows span the
            whole stream when ``n_samples`` or ``end_index`` bounds it). dynamics_config spans a
            whole output and is refused on a stream (ValueError).
    """

    def __init__(self, source: Union[RealGenerator, str, os.PathLike], batch_size: int = 10000,
                 n_samples: Optional[int] = None, random_state: Any = None,
                 real_data: Optional[pd.DataFrame] = None,
                 logger: Optional[logging.Logger] = None, **options: Any) -> None:
        if isinstance(source, (str, os.PathLike)):
            source = RealGenerator.load(source)
        if not isinstance(source, RealGenerator):
            raise TypeError("source must be a fitted RealGenerator or a model file path, got "
                            f"{type(source).__name__}")
        if source._model is None:
            raise ValueError("the RealGenerator has no fitted model: call generate(data, ...) "
                             "first, or pass a saved model file")
        for key in options:
            if key == "dynamics_config":
                raise ValueError("dynamics_config spans a whole output (trends, random walks) and "
                                 "is not available on a stream: apply ScenarioInjector to each "
                                 "batch, or use generate() for a finite output")
            if key not in _STREAM_OPTIONS:
                raise TypeError(f"StreamGenerator got an unexpected option '{key}'; valid: "
                                + ", ".join(_STREAM_OPTIONS))
        self.batch_size = _count(batch_size, "batch_size", allow_none=False)
        self.n_samples = _count(n_samples, "n_samples", allow_none=True)
        if random_state is None:
            random_state = source.random_state
        # Checked like RealGenerator's.
        self._generator = RealGenerator(auto_report=False, random_state=random_state,
                                        logger=logger if logger is not None else source.logger)
        self._infos = source._infos
        opts = dict(options)
        opts["n_samples"] = self.n_samples or 0
        real_columns = None
        if real_data is not None:
            from .._frames import frame_to_columns
            real_columns, _ = frame_to_columns(real_data)
        log = self._generator.logger
        self._stream = _calm.RowStream(source._model, self._generator.random_state,
                                       lambda level, message: log.log(level, message),
                                       self._generator._level(), options_json(opts),
                                       real_columns)
        #: the seed in use (random_state, or the one drawn)
        self.seed: int = self._stream.seed
        self._next = 0

    def rows(self, start: int, stop: int) -> pd.DataFrame:
        """Rows [start, stop) of the stream, whatever was read before (cut at n_samples)."""
        start = operator.index(start)
        stop = operator.index(stop)
        if start < 0 or stop < start:
            raise ValueError(f"rows(start, stop) needs 0 <= start <= stop, got {start}, {stop}")
        return columns_to_frame(self._stream.rows(start, stop), self._infos)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return self

    def __next__(self) -> pd.DataFrame:
        if self.n_samples is not None and self._next >= self.n_samples:
            raise StopIteration
        frame = self.rows(self._next, self._next + self.batch_size)
        frame.index = pd.RangeIndex(self._next, self._next + len(frame))
        self._next += len(frame)
        return frame

    def __repr__(self) -> str:
        return (f"StreamGenerator(batch_size={self.batch_size}, n_samples={self.n_samples}, "
                f"seed={self.seed}, rows_read={self._next})")
