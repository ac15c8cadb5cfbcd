"""calm_data_generator: synthetic tabular data from real data, on the calm C++ engine.

    from calm_data_generator.generators.tabular import RealGenerator
    synthetic = RealGenerator(random_state=42).generate(df, n_samples=1000, method="cart")

``methods()`` lists every synthesis method and its model_params; ``QualityReporter`` scores a
synthetic DataFrame against the real one.
"""

from . import _calm
from ._docs import methods
from ._io import read_csv, read_table, write_table

__version__: str = _calm.__version__

from .generators.tabular import RealGenerator  # noqa: E402  (needs the names above)
from .reports import QualityReporter  # noqa: E402

__all__ = ["RealGenerator", "QualityReporter", "methods", "read_csv", "read_table", "write_table",
           "__version__"]
