"""ScenarioInjector: feature evolution, target construction and future projection on any DataFrame
(``calm_data_generator.generators.dynamics``), with the original library's signatures
(../shared/original-behaviour.md §4). Formats and math: docs/dynamics.md. The input frame is never
modified; every method returns a new DataFrame."""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, List, Optional, Union

import numpy as np
import pandas as pd

from .. import _calm
from .._frames import columns_to_frame, frame_to_columns, require_column
from ..reports.quality import write_quality_report


class ScenarioInjector:
    """Args:
        seed: seed of the noise (random walks, ``noise_std``) and of the bootstrap in
            project_to_future_period.
        minimal_report: lighter reports (no pair metrics).
    """

    def __init__(self, seed: Optional[int] = None, minimal_report: bool = False) -> None:
        self.seed = seed
        self.minimal_report = bool(minimal_report)
        self.rng = np.random.default_rng(seed)
        self.last_files: List[str] = []

    def apply(self, df: pd.DataFrame, dynamics_config: Dict[str, Any]) -> pd.DataFrame:
        """Applies a whole dynamics_config ({"evolve_features": ..., "construct_target": ...})."""
        frame = df.reset_index(drop=True)
        columns, infos = frame_to_columns(frame)
        out = _calm.apply_dynamics(columns, json.dumps(dynamics_config, default=str), self.seed)
        return columns_to_frame(out, infos)

    def _report(self, real: pd.DataFrame, out: pd.DataFrame, output_dir: Optional[str],
                auto_report: bool, generator_name: str) -> None:
        self.last_files = []
        if auto_report and output_dir:
            self.last_files = write_quality_report(real, out, generator_name,
                                                   os.fspath(output_dir), self.minimal_report)

    def evolve_features(self, df: pd.DataFrame, evolution_config: Dict[str, Dict[str, Any]],
                        time_col: Optional[str] = None, output_dir: Optional[str] = None,
                        auto_report: bool = True, generator_name: str = "ScenarioInjector",
                        resample_rule: Any = None) -> pd.DataFrame:
        """Adds Δ(t) to each column of ``evolution_config`` ({col: {"type": "linear"|"cycle"|
        "sigmoid"|..., ...}}). t is ``time_col`` (numbers as they are, datetimes in days since the
        first; docs/dynamics.md) or the row position. With ``auto_report`` and an ``output_dir``
        the quality report of the evolved frame against the input is written there.
        ``resample_rule`` is accepted for the original's signature and not used. Unlike the
        original, an unknown type or column raises ValueError instead of changing nothing."""
        config: Dict[str, Any] = {"evolve_features": evolution_config}
        if time_col is not None:
            config["time_col"] = time_col
        out = self.apply(df, config)
        self._report(df, out, output_dir, auto_report, generator_name)
        return out

    def construct_target(self, df: pd.DataFrame, target_col: str,
                         formula: Union[str, Callable[[pd.DataFrame], Any]],
                         noise_std: float = 0.0, task_type: str = "regression",
                         threshold: Optional[float] = None) -> pd.DataFrame:
        """Creates or overwrites ``target_col`` from ``formula``: an expression of the columns
        (docs/dynamics.md), or a callable called once with the whole frame (the original's
        behaviour) returning one score per row. ``noise_std`` adds N(0, noise_std);
        ``task_type="classification"`` gives 1 where score > ``threshold`` (default 0) else 0."""
        if task_type not in ("regression", "classification"):
            raise ValueError(f"task_type must be 'regression' or 'classification', "
                             f"got {task_type!r}")
        if callable(formula):
            score = np.asarray(formula(df.reset_index(drop=True)), dtype=np.float64).reshape(-1)
            if len(score) != len(df):
                raise ValueError(f"formula returned {len(score)} values for {len(df)} rows")
            if noise_std > 0:
                score = score + self.rng.normal(0.0, noise_std, len(score))
            out = df.reset_index(drop=True).copy()
            limit = 0.0 if threshold is None else float(threshold)
            out[target_col] = (score > limit).astype(np.int64) if task_type == "classification" \
                else score
            return out
        if not isinstance(formula, str):
            raise ValueError(f"formula must be a string expression or a callable, got "
                             f"{type(formula).__name__}")
        spec: Dict[str, Any] = {"target_col": target_col, "formula": formula,
                                "noise_std": noise_std, "task_type": task_type}
        if threshold is not None:
            spec["threshold"] = threshold
        return self.apply(df, {"construct_target": spec})

    def project_to_future_period(
            self, df: pd.DataFrame, periods: int = 1,
            trend_config: Optional[Dict[str, Dict[str, Any]]] = None,
            time_col: Optional[str] = None, block_col: Optional[str] = None,
            base_strategy: str = "last_period", window_size: int = 1, generator: Any = None,
            generator_method: str = "ctgan", n_samples_per_period: Optional[int] = None,
            output_dir: Optional[str] = None, auto_report: bool = True,
            generator_name: str = "FutureProjection") -> pd.DataFrame:
        """Appends ``periods`` future periods to ``df``. Each period starts from a base (with
        ``block_col``: the last block, the last ``window_size`` blocks, or all rows; with
        ``time_col``: the last 10% of rows, the last ``window_size``·10%, or all), synthesised
        by ``generator.generate(base, n_samples, method=generator_method)`` when a generator (e.g.
        a RealGenerator) is given — the original always fell back to a bootstrap here because of
        a TypeError — or bootstrapped from the base otherwise. ``trend_config`` is an
        evolve_features config evaluated at t = period number (1, 2, ...), so a linear slope adds
        slope·period. Future blocks get the next labels (max + 1, ...); datetime and numeric time
        columns continue with the real median spacing. Returns the original rows then the
        projections, index reset."""
        if periods < 1:
            raise ValueError(f"periods must be >= 1, got {periods}")
        if base_strategy not in ("last_period", "window_n", "all"):
            raise ValueError(f"base_strategy must be last_period, window_n or all, got "
                             f"{base_strategy!r}")
        frame = df.reset_index(drop=True)
        for col, role in ((time_col, "time_col"), (block_col, "block_col")):
            if col is not None:
                require_column(frame, col, role)
        base = self._projection_base(frame, time_col, block_col, base_strategy, window_size)
        n = int(n_samples_per_period or len(base))
        last_block = frame[block_col].max() if block_col is not None else None
        times = frame[time_col].dropna().sort_values() if time_col is not None else None
        projections = []
        for period in range(1, periods + 1):
            if generator is not None:
                future = generator.generate(base, n_samples=n, method=generator_method)
            else:
                rows = self.rng.integers(0, len(base), n)
                future = base.iloc[rows].reset_index(drop=True)
            if trend_config:
                future = future.assign(__calm_t=float(period))
                future = self.apply(future, {"evolve_features": trend_config,
                                             "time_col": "__calm_t"}).drop(columns="__calm_t")
            if block_col is not None:
                future[block_col] = last_block + period if pd.api.types.is_number(last_block) \
                    else f"{last_block}+{period}"
            if time_col is not None:
                future[time_col] = self._future_times(times, n, period)
            projections.append(future)
        out = pd.concat([frame] + projections, ignore_index=True)
        self._report(frame, pd.concat(projections, ignore_index=True), output_dir, auto_report,
                     generator_name)
        return out

    @staticmethod
    def _projection_base(frame, time_col, block_col, strategy, window_size):
        if strategy == "all" or (block_col is None and time_col is None):
            return frame
        if block_col is not None:
            blocks = sorted(frame[block_col].dropna().unique())
            keep = blocks[-1:] if strategy == "last_period" else blocks[-max(1, window_size):]
            return frame[frame[block_col].isin(keep)].reset_index(drop=True)
        ordered = frame.sort_values(time_col, kind="stable")
        share = 0.1 if strategy == "last_period" else 0.1 * max(1, window_size)
        count = max(1, int(round(len(ordered) * min(1.0, share))))
        return ordered.tail(count).reset_index(drop=True)

    @staticmethod
    def _future_times(values: pd.Series, n: int, period: int):
        """``n`` times of future period ``period`` after the sorted, present ``values``."""
        if len(values) < 2:
            return values.iloc[-1] if len(values) else None
        step = values.diff().dropna().median()
        span = values.iloc[-1] - values.iloc[0] + step
        start = values.iloc[-1] + step + span * (period - 1)
        return [start + step * (i * len(values) // max(1, n)) for i in range(n)]
