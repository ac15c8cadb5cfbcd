"""Generators of calm_data_generator (tabular: RealGenerator; stream: StreamGenerator)."""
