"""Type stubs of RealGenerator (the seed's constructor and generate() signature)."""

import logging
import os
from typing import Any, Dict, List, Optional, Union

import numpy as np
import pandas as pd

DEFAULT_LOGGER_NAME: str

DataLike = Union[pd.DataFrame, pd.Series, np.ndarray, str, os.PathLike, Any]  # Any: AnnData

class RealGenerator:
    auto_report: bool
    minimal_report: bool
    random_state: Optional[int]
    logger: logging.Logger
    last_seed: Optional[int]
    last_files: List[str]
    def __init__(
        self,
        auto_report: bool = True,
        minimal_report: bool = False,
        random_state: Optional[int] = None,
        logger: Optional[logging.Logger] = None,
    ) -> None: ...
    def generate(
        self,
        data: Optional[DataLike],
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
        holdout_fraction: float = 0.0,
        fit_rows: int = 0,
        *,
        return_anndata: bool = False,
) -> pd.DataFrame: ...
    def save(self, path: Union[str, os.PathLike]) -> None: ...
    @classmethod
    def load(
        cls,
        path: Union[str, os.PathLike],
        auto_report: bool = ...,
        minimal_report: bool = ...,
        random_state: Optional[int] = ...,
        logger: Optional[logging.Logger] = None,
    ) -> "RealGenerator": ...
