"""DriftInjector: the drift engine on any DataFrame (``calm_data_generator.generators.drift``).

Every method of the original library's DriftInjector that calm implements is available by name,
``injector.inject_feature_drift(df, feature_cols=["price"], drift_type="shift",
drift_magnitude=0.3, start_index=500)``, and ``inject(df, config)`` applies a whole
``drift_injection_config`` list. Parameters, defaults and math: docs/drift.md. A new DataFrame is
returned; the input is never modified.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional, Union

import pandas as pd

from .. import _calm
from .._frames import columns_to_frame, frame_to_columns


def _methods() -> List[str]:
    return sorted(m["method"] for m in json.loads(_calm.drift_methods()))


class DriftInjector:
    def __init__(self, random_state: Optional[int] = None, time_col: Optional[str] = None,
                 block_column: Optional[str] = None, target_column: Optional[str] = None):
        self.random_state = random_state
        self.time_col = time_col
        self.block_column = block_column
        self.target_column = target_column

    def inject(self, df: pd.DataFrame, config: Union[Dict[str, Any], List[Dict[str, Any]]]
               ) -> pd.DataFrame:
        """Applies drift steps ({"method": name, "params": {...}} or flat) in order."""
        frame = df.reset_index(drop=True)
        columns, infos = frame_to_columns(frame)
        out = _calm.apply_drift(columns, json.dumps(config, default=str), self.random_state,
                                self.time_col, self.block_column, self.target_column)
        return columns_to_frame(out, infos)

    def __getattr__(self, name: str) -> Callable[..., pd.DataFrame]:
        if name.startswith("inject_") and name in _methods():
            def method(df: pd.DataFrame, **params: Any) -> pd.DataFrame:
                return self.inject(df, [{"method": name, "params": params}])
            method.__name__ = name
            return method
        raise AttributeError(f"DriftInjector has no method {name!r}; drift methods: "
                             f"{', '.join(_methods())}")

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(_methods()))
