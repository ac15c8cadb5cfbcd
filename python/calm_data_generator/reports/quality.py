"""QualityReporter.calculate_quality_metrics: SDMetrics-style quality scores of a synthetic
DataFrame against the real one, computed by the engine (calm/eval/quality.hpp).

The scores are SDMetrics 0.32's single-table QualityReport (Column Shapes: KS / TV complement;
Column Pair Trends: correlation / contingency similarity). ``weighted_quality_score`` is the
original library's penalised score: overall x (1 - duplicate share) x (1 - missing-cell share),
where the duplicate share counts synthetic rows that repeat another synthetic row or copy a real
row exactly.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict

import pandas as pd

from .. import _calm
from .._frames import frame_to_columns

_log = logging.getLogger("calm_data_generator")


def _duplicate_share(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    repeated = int(synthetic.duplicated().sum())
    try:
        copied = len(synthetic.merge(real.drop_duplicates(), how="inner", on=list(synthetic.columns)))
    except (TypeError, ValueError):  # columns whose dtypes pandas cannot join (e.g. int vs str)
        copied = 0
    return min(1.0, (repeated + copied) / len(synthetic))


def _round(value: Any) -> Any:
    return None if value is None else round(float(value), 4)


class QualityReporter:
    """Scores synthetic data against real data.

    Args:
        verbose: log the overall score at INFO.
        minimal: Column Shapes only (no Column Pair Trends).
    """

    def __init__(self, verbose: bool = True, minimal: bool = False) -> None:
        self.verbose = bool(verbose)
        self.minimal = bool(minimal)

    def calculate_quality_metrics(self, real_df: pd.DataFrame,
                                  synthetic_df: pd.DataFrame) -> Dict[str, Any]:
        """Quality scores of `synthetic_df` against `real_df`, over the columns both have.

        Returns a dict with ``overall_quality_score`` and ``weighted_quality_score`` in [0, 1]
        (rounded to 4 places), ``column_shapes_score``, ``column_pair_trends_score`` (None when
        minimal), and ``details``: the engine's full report (per-column and per-pair scores and
        the DiagnosticReport). An empty synthetic frame scores 0.0 with an ``error`` that says
        why; so do frames without a common column.
        """
        common = [c for c in real_df.columns if c in set(synthetic_df.columns)]
        if synthetic_df.empty or not common:
            why = "the synthetic data has no rows" if synthetic_df.empty else "no common columns"
            return {"overall_quality_score": 0.0, "weighted_quality_score": 0.0, "error": why}
        real = real_df[common].reset_index(drop=True)
        synthetic = synthetic_df[common].reset_index(drop=True)
        real_columns, _ = frame_to_columns(real)
        synthetic_columns, _ = frame_to_columns(synthetic)
        details = json.loads(_calm.evaluate_quality(real_columns, synthetic_columns,
                                                    pair_trends=not self.minimal))
        overall = details.get("overall")
        properties = details.get("properties", {})
        null_share = float(synthetic.isna().to_numpy().mean())
        weighted = (overall or 0.0) * (1.0 - _duplicate_share(real, synthetic)) * (1.0 - null_share)
        result = {
            "overall_quality_score": _round(overall),
            "weighted_quality_score": _round(weighted),
            "column_shapes_score": _round(properties.get("Column Shapes")),
            "column_pair_trends_score": _round(properties.get("Column Pair Trends")),
            "details": details,
        }
        if self.verbose:
            _log.info("quality: overall %s, weighted %s", result["overall_quality_score"],
                      result["weighted_quality_score"])
        return result
