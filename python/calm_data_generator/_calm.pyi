"""Type stubs of the native module calm_data_generator._calm (python/src/*.cpp)."""

from typing import Callable, List, Optional, Tuple

import numpy as np

ColumnTuple = Tuple[str, str, np.ndarray, Optional[np.ndarray], Optional[List[str]]]

__version__: str

def methods_json() -> str: ...
def generate_option_names() -> List[str]: ...
def read_csv(path: str) -> List[ColumnTuple]: ...
def generate(
    auto_report: bool,
    minimal_report: bool,
    random_state: Optional[int],
    log_callback: Optional[Callable[[int, str], None]],
    log_level: int,
    columns: List[ColumnTuple],
    options_json: str,
) -> Tuple[List[ColumnTuple], List[str], int]: ...
def evaluate_quality(
    real_columns: List[ColumnTuple],
    synthetic_columns: List[ColumnTuple],
    pair_trends: bool = ...,
    diagnostic: bool = ...,
) -> str: ...
