"""Shared fixtures of the Python suite: the real datasets of shared/datasets (found from this file:
<repo>/../shared/datasets) and the set of methods the engine has built."""

from pathlib import Path

import pandas as pd
import pytest

from calm_data_generator import methods

REPO_ROOT = Path(__file__).resolve().parents[2]
DATASETS = REPO_ROOT.parent / "shared" / "datasets"
AVAILABLE = {m["name"] for m in methods() if m["available"]}


def dataset(name: str) -> pd.DataFrame:
    path = DATASETS / name
    if not path.exists():
        pytest.skip(f"dataset {path} not found")
    return pd.read_csv(path)


@pytest.fixture(scope="session")
def penguins() -> pd.DataFrame:
    return dataset("penguins.csv")


@pytest.fixture(scope="session")
def airquality() -> pd.DataFrame:
    return dataset("airquality_ny_1973.csv")


def requires(method: str):
    return pytest.mark.skipif(method not in AVAILABLE, reason=f"method {method} not built yet")
