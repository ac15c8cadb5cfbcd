"""Synthetic rows on a Dask cluster (``pip install calm_data_generator[dask]``).

``generate(model, n_samples)`` returns a ``dask.dataframe.DataFrame`` whose partition i holds rows
[a_i, b_i) of the run: the partitions put together are the rows a single process writes for the
same model and seed (``StreamGenerator``, ``calm sample``), whatever the partition count, the
worker count or the order the scheduler runs them in. Partition edges fall on the engine's
262,144-row blocks, so no block is sampled twice. The fitted model travels once per worker (one
shared task holding the model file's bytes); each worker loads it once and samples natively with
the GIL released. docs/distributed.md has a runnable example and how to reach an existing cluster.

``fit(frame, path, method)`` fits a model on a Dask DataFrame too large for one machine and writes
an ordinary model file: gaussian_copula from the partitions themselves (two passes: mergeable
sketches, then score moments), every other method on a seeded sample of ``sample_rows`` rows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
from typing import Any, Dict, Optional, Tuple, Union

import pandas as pd

from . import _calm
from . import _partitioned_fit as pf
from .generators.stream import StreamGenerator
from .generators.tabular import RealGenerator

BLOCK_ROWS = 262_144  # the engine's block (core/row_blocks.hpp)

# Per worker process: model digest -> loaded generator, and (digest, seed, options) -> stream.
_GENERATORS: Dict[str, RealGenerator] = {}
_STREAMS: Dict[Tuple[str, int, int, str], StreamGenerator] = {}


def _model_bytes(model: Union[RealGenerator, str, os.PathLike]) -> bytes:
    if isinstance(model, (str, os.PathLike)):
        with open(model, "rb") as f:
            return f.read()
    if not isinstance(model, RealGenerator):
        raise TypeError("model must be a fitted RealGenerator or a model file path, got "
                        f"{type(model).__name__}")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.calm")
        model.save(path)  # ValueError when nothing is fitted
        with open(path, "rb") as f:
            return f.read()


def _generator_for(blob: bytes, digest: str) -> RealGenerator:
    gen = _GENERATORS.get(digest)
    if gen is None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.calm")
            with open(path, "wb") as f:
                f.write(blob)
            gen = RealGenerator.load(path, auto_report=False,
                                     logger=logging.getLogger("calm_data_generator.distributed"))
        _GENERATORS[digest] = gen
    return gen


def _rows(blob: bytes, digest: str, seed: int, n_samples: int, options: Dict[str, Any],
          begin: int, end: int) -> pd.DataFrame:
    key = (digest, seed, n_samples, repr(sorted(options.items())))
    stream = _STREAMS.get(key)
    if stream is None:
        stream = StreamGenerator(_generator_for(blob, digest), n_samples=n_samples,
                                 random_state=seed, **options)
        _STREAMS[key] = stream
    frame = stream.rows(begin, end)
    frame.index = pd.RangeIndex(begin, end)
    return frame


def prepare_run(model: Union[RealGenerator, str, os.PathLike], n_samples: int,
                random_state: Optional[int], options: Dict[str, Any]):
    """What every partition of a run shares, checked here before anything is scheduled:
    (n, the model file's bytes, their sha256, the seed, an empty frame with the output's columns
    and dtypes). The seed is random_state, else the generator's, else one drawn here."""
    n = int(n_samples)
    if n < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}")
    blob = _model_bytes(model)
    digest = hashlib.sha256(blob).hexdigest()
    if random_state is None and isinstance(model, RealGenerator):
        random_state = model.random_state
    seed = int(random_state) if random_state is not None else secrets.randbits(63)
    # Validates the options and gives the columns and dtypes without sampling a block.
    meta = StreamGenerator(_generator_for(blob, digest), n_samples=n, random_state=seed,
                           **options).rows(0, 0)
    return n, blob, digest, seed, meta


def partition_ranges(n_samples: int, npartitions: int) -> list:
    """Row ranges [a, b) of the partitions: whole blocks, as even as blocks allow (the engine's
    --shard i/k split)."""
    blocks = (n_samples + BLOCK_ROWS - 1) // BLOCK_ROWS
    npartitions = max(1, min(npartitions, blocks))
    edges = [min(n_samples, (blocks * i // npartitions) * BLOCK_ROWS)
             for i in range(npartitions + 1)]
    return [(edges[i], edges[i + 1]) for i in range(npartitions) if edges[i] < edges[i + 1]]


def generate(model: Union[RealGenerator, str, os.PathLike], n_samples: int,
             npartitions: Optional[int] = None, client: Any = None,
             random_state: Optional[int] = None, **options: Any):
    """``n_samples`` synthetic rows as a lazy ``dask.dataframe.DataFrame``.

    Args:
        model: a fitted RealGenerator or the path of a saved model file.
        n_samples: total rows (>= 1).
        npartitions: partitions (default: one per 262,144-row block, at most 64 per worker
            thread of ``client`` when given); never more than the blocks.
        client: a ``distributed.Client`` used only to size the default npartitions; the
            DataFrame runs on whatever scheduler computes it (the active client by default).
        random_state: the run's seed; default the generator's, else one drawn here (the same
            for every partition).
        **options: StreamGenerator's options (custom_distributions, constraints, dates,
            drift_injection_config, balance_target).
    """
    import dask
    import dask.dataframe as dd

    n, blob, digest, seed, meta = prepare_run(model, n_samples, random_state, options)
    if npartitions is None:
        blocks = (n + BLOCK_ROWS - 1) // BLOCK_ROWS
        npartitions = blocks
        if client is not None:
            threads = sum(client.nthreads().values()) or 1
            npartitions = min(blocks, 64 * threads)
    ranges = partition_ranges(n, int(npartitions))
    shared = dask.delayed(blob, pure=True)  # one task: the bytes go to each worker once
    parts = [dask.delayed(_rows, pure=True)(shared, digest, seed, n, options, a, b)
             for a, b in ranges]
    divisions = [a for a, _ in ranges] + [ranges[-1][1] - 1]
    return dd.from_delayed(parts, meta=meta, divisions=divisions, verify_meta=False)


def fit(frame: Any, path: Union[str, os.PathLike], method: str = "gaussian_copula", *,
        target_col: Optional[str] = None, model_params: Optional[Dict[str, Any]] = None,
        column_types: Optional[Dict[str, str]] = None, random_state: Optional[int] = None,
        sample_rows: int = 1_000_000, logger: Optional[logging.Logger] = None) -> str:
    """Fits ``method`` on a ``dask.dataframe.DataFrame`` and writes the model file to ``path``
    (atomically; ``RealGenerator.load`` and ``generate`` read it). Returns the path.

    gaussian_copula is fitted from the partitions in two passes, never holding the table:
    per-partition sketches (exact counts, ranges and categories; quantile summaries of numeric
    columns with a rank error of at most about 1e-4, logged) merged into the marginals, then
    per-partition moments of the normal scores merged exactly into the correlation. Other
    methods fit on a seeded sample of about ``sample_rows`` rows (with ``target_col``, every
    class keeps at least min(its rows, 100) expected rows). The merge tree depends only on the
    partitions' order, so the same frame and seed give the same file.
    """
    import dask
    import dask.dataframe as dd

    if not isinstance(frame, dd.DataFrame):
        raise TypeError(f"frame must be a dask.dataframe.DataFrame, got {type(frame).__name__}")
    path = pf.check_path(path)
    sample_rows = pf.check_sample_rows(sample_rows)
    options = pf.fit_options(method, target_col, model_params, column_types)
    seed = pf.choose_seed(random_state, logger)
    meta = frame._meta
    parts = frame.to_delayed()

    def tree(items, merge):
        return pf.fold(items, lambda a, b: dask.delayed(merge, pure=True)(a, b))

    if _calm.partitioned_fit_supports(method):
        sketches = [dask.delayed(pf.sketch, pure=True)(p) for p in parts]
        (sketch,) = dask.compute(tree(sketches, _calm.merge_sketches))
        plan = pf.plan(sketch, options, seed, logger)
        shared = dask.delayed(plan, pure=True)  # one task: the plan goes to each worker once
        moments = [dask.delayed(pf.moments, pure=True)(shared, p, i) for i, p in enumerate(parts)]
        (merged,) = dask.compute(tree(moments, _calm.merge_moments))
        pf.save(plan, merged, meta, path, random_state, logger)
        return path
    if target_col is not None and target_col not in frame.columns:
        raise ValueError(f"target_col {target_col!r} is not a column; columns are: "
                         f"{', '.join(map(str, frame.columns))}")
    rows, counts = dask.compute(frame.shape[0],
                                frame[target_col].value_counts() if target_col else None)
    keep = pf.keep_probabilities(int(rows), sample_rows, counts)
    kept = dask.compute(*[dask.delayed(pf.sample_partition, pure=True)(p, i, seed, keep,
                                                                       target_col)
                          for i, p in enumerate(parts)])
    sample = pd.concat([k for k in kept if len(k)] or [meta], ignore_index=True)
    pf.fit_on_sample(sample, path, options, seed, random_state, logger)
    return path
