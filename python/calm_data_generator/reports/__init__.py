"""Quality evaluation of synthetic data against real data."""

from .quality import QualityReporter

__all__ = ["QualityReporter"]
