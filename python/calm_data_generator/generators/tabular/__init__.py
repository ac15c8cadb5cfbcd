"""Tabular generators: ``from calm_data_generator.generators.tabular import RealGenerator``."""

from ...reports import QualityReporter
from .RealBlockGenerator import RealBlockGenerator
from .real_generator import RealGenerator

__all__ = ["RealGenerator", "RealBlockGenerator", "QualityReporter"]
