"""RealGenerator: the seed's tabular generator, name for name, over the calm C++ engine.

This layer only converts: pandas -> engine tables (calm_data_generator._frames), keyword
arguments -> the engine's GenerateOptions (JSON), engine log records -> a logging.Logger. Every
check and every algorithm is the engine's, so the Python API, the CLI and the C++ API agree.
"""

from __future__ import annotations

import logging
import operator
import os
from typing import Any, Dict, List, Optional, Union

import numpy as np
import pandas as pd

from ... import _calm
from ..._docs import generate_doc
from ..._frames import columns_to_frame, frame_to_columns
from ..._options import options_json

DEFAULT_LOGGER_NAME = "calm_data_generator"


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValueError(f"a numpy array as data must be 2-D (rows x columns), got {data.ndim}-D")
        return pd.DataFrame(data)
    if isinstance(data, (str, os.PathLike)):
        from ..._io import read_csv

        return read_csv(data)
    if hasattr(data, "obs") and hasattr(data, "X") and hasattr(data, "to_df"):
        # AnnData: expression matrix (var names as columns) plus every obs column, as the seed did.
        frame = data.to_df()
        for column in data.obs.columns:
            frame[column] = data.obs[column].to_numpy()
        return frame.reset_index(drop=True)
    raise TypeError(f"data must be a pandas DataFrame, a 2-D numpy array or a CSV path, "
                    f"got {type(data).__name__}")


def _label_text(label: Any) -> Any:
    return label if label is None or isinstance(label, str) else str(label)


class RealGenerator:
    """Learns a real table and generates synthetic rows like it.

    Args:
        auto_report: write the quality reports to ``output_dir`` when generate() is given one.
        minimal_report: lighter reports (no pair metrics, correlations or PCA).
        random_state: seed (an int >= 0); the same seed and inputs give the same output, whatever
            the number of threads. None draws a fresh seed and logs it.
        logger: a logging.Logger that receives the engine's records (DEBUG/INFO/WARNING/ERROR);
            default ``logging.getLogger("calm_data_generator")``.
    """

    def __init__(self, auto_report: bool = True, minimal_report: bool = False,
                 random_state: Optional[int] = None,
                 logger: Optional[logging.Logger] = None) -> None:
        if random_state is not None:
            if isinstance(random_state, (bool, np.bool_)):
                raise TypeError("random_state must be an int or None, got a bool")
            try:
                random_state = operator.index(random_state)
            except TypeError:
                raise TypeError(f"random_state must be an int or None, "
                                f"got {type(random_state).__name__}") from None
            if not 0 <= random_state < 2**64:
                raise ValueError(f"random_state must be in [0, 2**64), got {random_state}")
        if logger is not None and not callable(getattr(logger, "log", None)):
            raise TypeError(f"logger must be a logging.Logger, got {type(logger).__name__}")
        self.auto_report = bool(auto_report)
        self.minimal_report = bool(minimal_report)
        self.random_state = random_state
        self.logger = logger if logger is not None else logging.getLogger(DEFAULT_LOGGER_NAME)
        #: the seed the last generate() used (random_state, or the one drawn when it was None)
        self.last_seed: Optional[int] = None
        #: the files the last generate() wrote to output_dir
        self.last_files: List[str] = []

    def _level(self) -> int:
        get_level = getattr(self.logger, "getEffectiveLevel", None)
        return get_level() if callable(get_level) else logging.DEBUG

    def generate(
        self,
        data: Any,
        n_samples: int,
        method: str = "cart",
        target_col: Optional[str] = None,
        output_dir: Optional[Union[str, os.PathLike]] = None,
        generator_name: str = "RealGenerator",
        save_dataset: bool = False,
        custom_distributions: Optional[Dict[str, Any]] = None,
        date_col: Optional[str] = None,
        date_start: Optional[str] = None,
        date_step: Optional[Dict[str, int]] = None,
        date_every: int = 1,
        drift_injection_config: Optional[List[Dict[str, Any]]] = None,
        dynamics_config: Optional[Dict[str, Any]] = None,
        model_params: Optional[Dict[str, Any]] = None,
        constraints: Optional[List[Dict[str, Any]]] = None,
        adversarial_validation: bool = False,
        balance_target: bool = False,
    ) -> pd.DataFrame:
        options = {
            "n_samples": n_samples,
            "method": method,
            "target_col": _label_text(target_col),
            "output_dir": output_dir,
            "generator_name": generator_name,
            "save_dataset": save_dataset,
            "custom_distributions": custom_distributions,
            "date_col": _label_text(date_col),
            "date_start": date_start,
            "date_step": date_step,
            "date_every": date_every,
            "drift_injection_config": drift_injection_config,
            "dynamics_config": dynamics_config,
            "model_params": model_params,
            "constraints": constraints,
            "adversarial_validation": adversarial_validation,
            "balance_target": balance_target,
        }
        return self._run(data, options, self._blocks)

    # RealBlockGenerator sets this (JSON block options) for the duration of its call.
    _blocks = ""

    def _run(self, data: Any, options: Dict[str, Any], blocks: str) -> pd.DataFrame:
        frame = _as_frame(data)
        columns, infos = frame_to_columns(frame)
        logger = self.logger
        synthetic, files, seed = _calm.generate(
            self.auto_report, self.minimal_report, self.random_state,
            lambda level, message: logger.log(level, message), self._level(), columns,
            options_json(options), blocks)
        self.last_seed = seed
        self.last_files = list(files)
        return columns_to_frame(synthetic, infos)

    def __repr__(self) -> str:
        return (f"RealGenerator(auto_report={self.auto_report}, "
                f"minimal_report={self.minimal_report}, random_state={self.random_state}, "
                f"logger={self.logger.name if hasattr(self.logger, 'name') else self.logger!r})")


RealGenerator.generate.__doc__ = generate_doc()
