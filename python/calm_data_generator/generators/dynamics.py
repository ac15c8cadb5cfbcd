"""ScenarioInjector: feature evolution and target construction on any DataFrame
(``calm_data_generator.generators.dynamics``). Formats and math: docs/dynamics.md."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import pandas as pd

from .. import _calm
from .._frames import columns_to_frame, frame_to_columns


class ScenarioInjector:
    def __init__(self, seed: Optional[int] = None):
        self.seed = seed

    def apply(self, df: pd.DataFrame, dynamics_config: Dict[str, Any]) -> pd.DataFrame:
        """Applies a whole dynamics_config ({"evolve_features": ..., "construct_target": ...})."""
        frame = df.reset_index(drop=True)
        columns, infos = frame_to_columns(frame)
        out = _calm.apply_dynamics(columns, json.dumps(dynamics_config, default=str), self.seed)
        return columns_to_frame(out, infos)

    def evolve_features(self, df: pd.DataFrame, evolution_config: Dict[str, Any],
                        time_col: Optional[str] = None) -> pd.DataFrame:
        config: Dict[str, Any] = {"evolve_features": evolution_config}
        if time_col is not None:
            config["time_col"] = time_col
        return self.apply(df, config)

    def construct_target(self, df: pd.DataFrame, target_col: str, formula: str,
                         noise_std: float = 0.0, task_type: str = "regression",
                         threshold: Optional[float] = None) -> pd.DataFrame:
        spec: Dict[str, Any] = {"target_col": target_col, "formula": formula,
                                "noise_std": noise_std, "task_type": task_type}
        if threshold is not None:
            spec["threshold"] = threshold
        return self.apply(df, {"construct_target": spec})
