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
import os
from typing import Any, Dict, List, Optional

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


def _on_common_columns(real_df: pd.DataFrame, synthetic_df: pd.DataFrame):
    """Both frames restricted to the columns they share (in the real frame's order), RangeIndex."""
    common = [c for c in real_df.columns if c in set(synthetic_df.columns)]
    return (common, real_df[common].reset_index(drop=True),
            synthetic_df[common].reset_index(drop=True))


def write_quality_report(real_df: pd.DataFrame, synthetic_df: pd.DataFrame, generator_name: str,
                         output_dir: str, minimal: bool,
                         target_column: Optional[str] = None) -> List[str]:
    """The injectors' auto_report: the full report into ``output_dir``; returns the paths."""
    reporter = QualityReporter(verbose=False, minimal=minimal)
    reporter.generate_comprehensive_report(real_df, synthetic_df, generator_name, output_dir,
                                           target_column=target_column)
    return reporter.last_files


class QualityReporter:
    """Scores synthetic data against real data.

    Args:
        verbose: log the overall score at INFO.
        minimal: Column Shapes only (no Column Pair Trends).
    """

    def __init__(self, verbose: bool = True, minimal: bool = False) -> None:
        self.verbose = bool(verbose)
        self.minimal = bool(minimal)
        self.last_files: List[str] = []

    def generate_comprehensive_report(
            self, real_df: pd.DataFrame, synthetic_df: pd.DataFrame, generator_name: str,
            output_dir: str, target_column: Optional[str] = None,
            block_column: Optional[str] = None, focus_cols: Optional[List[str]] = None,
            drift_config: Optional[Dict[str, Any]] = None, time_col: Optional[str] = None,
            drift_history: Any = None, resample_rule: Any = None,
            constraints_stats: Optional[Dict[str, Any]] = None, privacy_check: bool = False,
            minimal: Optional[bool] = None, adversarial_validation: bool = False, *,
            holdout_df: Optional[pd.DataFrame] = None,
            sequence_key: Optional[str] = None) -> None:
        """Writes the quality reports of ``synthetic_df`` against ``real_df`` into ``output_dir``
        (created): the files ``RealGenerator`` writes with ``auto_report`` (docs/reports.md), over
        the columns both frames have. Returns None, as the original did; the paths written are in
        ``self.last_files``.

        ``target_column`` adds the per-class and ML-efficacy sections; ``minimal`` (default: the
        reporter's) drops pair metrics; ``adversarial_validation`` adds the discriminator.
        ``holdout_df`` (calm extension, keyword-only): real rows the synthesizer never saw, with
        ``real_df`` the rows it was trained on; adds the membership inference attack
        (``membership_inference`` in sdv_quality_report.json, docs/metrics.md) and, with a
        target, ML efficacy tests on them.
        ``sequence_key`` (calm extension, keyword-only): the frames are multi-entity sequences
        keyed by this column, ordered by ``time_col`` when given; adds the sequence metrics
        (``sequence`` in sdv_quality_report.json) and the real-vs-synthetic trajectory plots
        (docs/sequences.md).
        Accepted for the original's signature but not used by calm's report: ``block_column``,
        ``focus_cols``, ``drift_config``, ``time_col`` (without ``sequence_key``),
        ``drift_history`` (unused in the original
        too), ``resample_rule``, ``constraints_stats``, ``privacy_check`` (calm's report always
        has its privacy section, DCR included).
        """
        if not output_dir:
            raise ValueError("output_dir is required: the folder the reports are written into")
        common, real, synthetic = _on_common_columns(real_df, synthetic_df)
        if not common:
            raise ValueError("real_df and synthetic_df have no column in common")
        real_columns, _ = frame_to_columns(real)
        synthetic_columns, _ = frame_to_columns(synthetic)
        target = target_column if target_column in common else None
        holdout_columns = None
        if holdout_df is not None:
            lacking = [c for c in common if c not in set(holdout_df.columns)]
            if lacking:
                raise ValueError(f"holdout_df lacks the columns {lacking} of real_df")
            holdout_columns, _ = frame_to_columns(holdout_df[common].reset_index(drop=True))
        os.makedirs(output_dir, exist_ok=True)  # "(created)", as the docstring says
        self.last_files = list(_calm.write_reports(
            real_columns, synthetic_columns, os.fspath(output_dir), str(generator_name), target,
            self.minimal if minimal is None else bool(minimal), bool(adversarial_validation),
            holdout_columns=holdout_columns,
            sequence_key=sequence_key,
            time_col=time_col if sequence_key is not None else None))
        if self.verbose:
            _log.info("reports written to %s", output_dir)

    def generate_report(self, *args: Any, **kwargs: Any) -> None:
        """The original's alias of generate_comprehensive_report."""
        return self.generate_comprehensive_report(*args, **kwargs)

    def update_report_after_drift(self, original_df: pd.DataFrame, drifted_df: pd.DataFrame,
                                  output_dir: str, drift_config: Optional[Dict[str, Any]] = None,
                                  time_col: Optional[str] = None,
                                  block_column: Optional[str] = None,
                                  resample_rule: Any = None) -> None:
        """The same report for a drifted frame against its original; the generator name comes
        from ``drift_config["generator_name"]`` (default "DriftInjector")."""
        name = (drift_config or {}).get("generator_name") or "DriftInjector"
        return self.generate_comprehensive_report(
            original_df, drifted_df, name, output_dir, block_column=block_column,
            focus_cols=(drift_config or {}).get("feature_cols"), drift_config=drift_config,
            time_col=time_col, resample_rule=resample_rule)

    def calculate_sequence_metrics(self, real_df: pd.DataFrame, synthetic_df: pd.DataFrame,
                                   sequence_key: str, time_col: Optional[str] = None,
                                   context_columns: Optional[List[str]] = None,
                                   random_state: int = 0) -> Dict[str, Any]:
        """Sequence metrics of a synthetic multi-entity table (calm extension,
        docs/sequences.md): ``row_quality``, ``length_similarity``,
        ``autocorrelation_similarity``, ``cross_correlation_similarity``,
        ``discriminative_auc`` (0.5 = indistinguishable; well below 0.5 = copies of real
        sequences), ``discriminative_score``, the predictive scores and
        ``context_sequence_consistency``, plus per-column ``details``. Entities are grouped by
        ``sequence_key`` and ordered by ``time_col``; context columns are detected on the real
        frame unless named. Raises ValueError for a missing column or a table that cannot be read
        as sequences."""
        for name, frame in (("real_df", real_df), ("synthetic_df", synthetic_df)):
            for col in [sequence_key] + ([time_col] if time_col else []):
                if col not in frame.columns:
                    raise ValueError(f"{name} has no column {col!r}; its columns are: "
                                     f"{list(frame.columns)}")
        real_columns, _ = frame_to_columns(real_df.reset_index(drop=True))
        synthetic_columns, _ = frame_to_columns(synthetic_df.reset_index(drop=True))
        result = json.loads(_calm.evaluate_sequences(
            real_columns, synthetic_columns, str(sequence_key), time_col,
            list(context_columns) if context_columns is not None else None,
            seed=int(random_state)))
        if self.verbose:
            _log.info("sequences: rows %s, lengths %s, discriminative AUC %s",
                      result.get("row_quality"), result.get("length_similarity"),
                      result.get("discriminative_auc"))
        return result

    def calculate_quality_metrics(self, real_df: pd.DataFrame,
                                  synthetic_df: pd.DataFrame) -> Dict[str, Any]:
        """Quality scores of `synthetic_df` against `real_df`, over the columns both have.

        Returns a dict with ``overall_quality_score`` and ``weighted_quality_score`` in [0, 1]
        (rounded to 4 places), ``column_shapes_score``, ``column_pair_trends_score`` (None when
        minimal), and ``details``: the engine's full report (per-column and per-pair scores and
        the DiagnosticReport). An empty synthetic frame scores 0.0 with an ``error`` that says
        why; so do frames without a common column.
        """
        common, real, synthetic = _on_common_columns(real_df, synthetic_df)
        if synthetic_df.empty or not common:
            why = "the synthetic data has no rows" if synthetic_df.empty else "no common columns"
            return {"overall_quality_score": 0.0, "weighted_quality_score": 0.0, "error": why}
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
