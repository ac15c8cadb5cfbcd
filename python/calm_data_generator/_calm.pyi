"""Type stubs of the native module calm_data_generator._calm (python/src/*.cpp)."""

from typing import Any, Callable, List, Optional, Tuple

import numpy as np

ColumnTuple = Tuple[str, str, np.ndarray, Optional[np.ndarray], Optional[List[str]]]

__version__: str

def methods_json() -> str: ...
def generate_option_names() -> List[str]: ...
def read_csv(path: str) -> List[ColumnTuple]: ...
def read_table(
    source: str, table: Optional[str] = ..., query: Optional[str] = ...
) -> List[ColumnTuple]: ...
def write_table(
    columns: List[ColumnTuple], target: str, table: str = ..., if_exists: str = ...
) -> None: ...
def generate(
    auto_report: bool,
    minimal_report: bool,
    random_state: Optional[int],
    log_callback: Optional[Callable[[int, str], None]],
    log_level: int,
    columns: List[ColumnTuple],
    options_json: str,
    blocks_json: str = ...,
    keep_model: bool = ...,
) -> Tuple[List[ColumnTuple], List[str], int, Optional[Model]]: ...

def runs_on_cells(options_json: str) -> bool: ...
def generate_cells(
    auto_report: bool,
    minimal_report: bool,
    random_state: Optional[int],
    log_callback: Optional[Callable[[int, str], None]],
    log_level: int,
    indptr: Any,
    indices: Any,
    data: Any,
    n_cells: int,
    n_genes: int,
    genes: List[str],
    obs_columns: List[ColumnTuple],
    options_json: str,
) -> Tuple[Any, Any, Any, int, List[str], bool, List[ColumnTuple], List[str], int]: ...

class Model:
    """A fitted model (docs/persistence.md)."""

    @property
    def method(self) -> str: ...
    @property
    def target_col(self) -> Optional[str]: ...
    @property
    def front_end_info(self) -> str: ...
    def save(self, path: str, front_end_info: str = ...) -> None: ...
    @staticmethod
    def load(path: str) -> Model: ...
    def sample(
        self,
        auto_report: bool,
        minimal_report: bool,
        random_state: Optional[int],
        log_callback: Optional[Callable[[int, str], None]],
        log_level: int,
        options_json: str,
        real_columns: Optional[List[ColumnTuple]] = ...,
    ) -> Tuple[List[ColumnTuple], List[str], int]: ...
class RowStream:
    """Row ranges of an endless or finite run (StreamGenerator)."""

    def __init__(
        self,
        model: Model,
        random_state: Optional[int],
        log_callback: Optional[Callable[[int, str], None]],
        log_level: int,
        options_json: str,
        real_columns: Optional[List[ColumnTuple]] = ...,
    ) -> None: ...
    def rows(self, begin: int, end: int) -> List[ColumnTuple]: ...
    @property
    def size(self) -> Optional[int]: ...
    @property
    def seed(self) -> int: ...

def evaluate_quality(
    real_columns: List[ColumnTuple],
    synthetic_columns: List[ColumnTuple],
    pair_trends: bool = ...,
    diagnostic: bool = ...,
) -> str: ...
def write_reports(
    real_columns: List[ColumnTuple],
    synthetic_columns: List[ColumnTuple],
    output_dir: str,
    generator_name: str,
    target_col: Optional[str] = ...,
    minimal: bool = ...,
    adversarial_validation: bool = ...,
    seed: int = ...,
    holdout_columns: Optional[List[ColumnTuple]] = ...,
    sequence_key: Optional[str] = ...,
    time_col: Optional[str] = ...,
) -> List[str]: ...
def evaluate_sequences(
    real_columns: List[ColumnTuple],
    synthetic_columns: List[ColumnTuple],
    sequence_key: str,
    time_col: Optional[str] = ...,
    context_columns: Optional[List[str]] = ...,
    row_quality: bool = ...,
    seed: int = ...,
) -> str: ...
