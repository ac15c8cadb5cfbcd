"""Synthetic rows as a Spark DataFrame (``pip install calm_data_generator[spark]``; Java from
Debian's openjdk-17-jre-headless).

``generate(spark, model, n_samples, num_partitions)`` returns a ``pyspark.sql.DataFrame`` built
with ``mapInPandas`` over the partitions' row ranges (whole engine blocks, as
calm_data_generator.distributed): partition i holds rows [a_i, b_i) of the run, so the partitions
in order are the rows one process gives for the same model and seed. The model's bytes are a
broadcast variable (sent once per executor) and each Python worker loads the model once. The Spark
schema is mapped from the model's columns: integers -> LongType, numbers -> DoubleType, booleans
-> BooleanType, dates and datetimes -> TimestampType, text and categories -> StringType, every
field nullable. docs/distributed.md has a runnable example and spark-submit.

``fit(df, path, method)`` fits a model on a Spark DataFrame and writes an ordinary model file:
gaussian_copula from the partitions (mergeable sketches, then score moments, merged on the driver
in partition order), every other method on a seeded sample of ``sample_rows`` rows.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional, Union

import pandas as pd

from . import _calm
from . import _partitioned_fit as pf
from .distributed import _rows, partition_ranges, prepare_run
from .generators.tabular import RealGenerator


def _spark_type(dtype: Any):
    from pyspark.sql import types as T

    if pd.api.types.is_bool_dtype(dtype):
        return T.BooleanType()
    if pd.api.types.is_integer_dtype(dtype):
        return T.LongType()
    if pd.api.types.is_float_dtype(dtype):
        return T.DoubleType()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return T.TimestampType()
    return T.StringType()


def spark_schema(meta: pd.DataFrame):
    """The Spark schema of calm's columns (see the module docstring)."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(str(name), _spark_type(dtype), True)
                         for name, dtype in meta.dtypes.items()])


def to_spark_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """calm's pandas rows in the types Arrow hands to Spark: categories and text as Python
    strings (None for missing), nullable integers and booleans as pandas' nullable dtypes."""
    out = {}
    for name, col in frame.items():
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            out[name] = col.astype("datetime64[us]")
        elif (pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_integer_dtype(col.dtype)
              or pd.api.types.is_float_dtype(col.dtype)):
            out[name] = col
        else:
            out[name] = col.astype(object).where(col.notna(), None)
    return pd.DataFrame(out, index=frame.index)


def generate(spark: Any, model: Union[RealGenerator, str, os.PathLike], n_samples: int,
             num_partitions: Optional[int] = None, random_state: Optional[int] = None,
             **options: Any):
    """``n_samples`` synthetic rows as a lazy Spark DataFrame of ``num_partitions`` partitions
    (default: one per 262,144-row block, at most Spark's default parallelism x 4). Options as
    StreamGenerator's."""
    n, blob, digest, seed, meta = prepare_run(model, n_samples, random_state, options)
    schema = spark_schema(meta)
    if num_partitions is None:
        num_partitions = 4 * spark.sparkContext.defaultParallelism
    ranges = partition_ranges(n, int(num_partitions))
    shared = spark.sparkContext.broadcast(blob)

    def produce(batches):
        for batch in batches:
            for begin, end in zip(batch["begin"], batch["end"]):
                rows = _rows(shared.value, digest, seed, n, options, int(begin), int(end))
                yield to_spark_frame(rows).reset_index(drop=True)

    # One range per partition, in order: the partitions' rows in order are the run's rows.
    bounds = spark.sparkContext.parallelize(ranges, len(ranges)).toDF("begin long, end long")
    return bounds.mapInPandas(produce, schema)


def _pandas_dtype(spark_type: Any) -> Any:
    from pyspark.sql import types as T

    if isinstance(spark_type, (T.LongType, T.IntegerType, T.ShortType, T.ByteType)):
        return "Int64"
    if isinstance(spark_type, (T.DoubleType, T.FloatType, T.DecimalType)):
        return "float64"
    if isinstance(spark_type, T.BooleanType):
        return "boolean"
    if isinstance(spark_type, (T.TimestampType, T.DateType)):
        return "datetime64[ns]"
    return object


def pandas_meta(schema: Any) -> pd.DataFrame:
    """An empty pandas frame with the dtypes fit() gives a Spark schema's fields: integers ->
    Int64, numbers -> float64, booleans -> boolean, dates and timestamps -> datetime64[ns], the
    rest -> object (text)."""
    return pd.DataFrame({f.name: pd.Series([], dtype=_pandas_dtype(f.dataType))
                         for f in schema.fields})


def typed_batch(batch: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """A batch from Arrow in `meta`'s dtypes, the same in every partition (Arrow gives an integer
    column with nulls as float64, without as int64)."""
    out = {}
    for name, dtype in meta.dtypes.items():
        col = batch[name]
        if dtype == object:
            out[name] = col.astype(object).where(col.notna(), None)
        elif str(dtype).startswith("datetime64"):
            out[name] = pd.to_datetime(col).astype(dtype)
        elif str(dtype) == "float64":
            out[name] = pd.to_numeric(col, errors="coerce").astype("float64")
        else:
            out[name] = col.astype(dtype)
    return pd.DataFrame(out, columns=meta.columns)


def fit(df: Any, path: Union[str, os.PathLike], method: str = "gaussian_copula", *,
        target_col: Optional[str] = None, model_params: Optional[Dict[str, Any]] = None,
        column_types: Optional[Dict[str, str]] = None, random_state: Optional[int] = None,
        sample_rows: int = 1_000_000, logger: Optional[logging.Logger] = None) -> str:
    """Fits ``method`` on a Spark DataFrame and writes the model file to ``path`` (atomically).
    Returns the path. As calm_data_generator.distributed.fit: gaussian_copula from the
    partitions in two passes (per-partition sketches, then per-partition score moments, merged on
    the driver in partition order), other methods on a seeded
    sample of about ``sample_rows`` rows. Columns are read with pandas_meta's dtypes."""
    from pyspark import TaskContext

    path = pf.check_path(path)
    sample_rows = pf.check_sample_rows(sample_rows)
    options = pf.fit_options(method, target_col, model_params, column_types)
    seed = pf.choose_seed(random_state, logger)
    meta = pandas_meta(df.schema)
    if target_col is not None and target_col not in meta.columns:
        raise ValueError(f"target_col {target_col!r} is not a column; columns are: "
                         f"{', '.join(meta.columns)}")
    sc = df.sparkSession.sparkContext

    def per_partition(stage):
        """One row (partition id, merged bytes) per non-empty partition."""
        def run(batches):
            pid = TaskContext.get().partitionId()
            acc = None
            for k, batch in enumerate(batches):
                if len(batch) == 0:
                    continue
                out = stage(typed_batch(batch, meta), (pid << 20) + k)
                acc = out if acc is None else merge(acc, out)
            if acc is not None:
                yield pd.DataFrame({"pid": [pid], "blob": [acc]})
        merge = stage.merge
        # Collected (one sketch or moments per partition), then merged in partition order.
        rows = sorted(df.mapInPandas(run, "pid long, blob binary").collect(),
                      key=lambda r: r["pid"])
        return pf.fold((bytes(r["blob"]) for r in rows), merge)

    if _calm.partitioned_fit_supports(method):
        def sketch_stage(frame, index):
            return pf.sketch(frame)
        sketch_stage.merge = _calm.merge_sketches
        plan = pf.plan(per_partition(sketch_stage), options, seed, logger)
        shared = sc.broadcast(plan)

        def moments_stage(frame, index):
            return pf.moments(shared.value, frame, index)
        moments_stage.merge = _calm.merge_moments
        pf.save(plan, per_partition(moments_stage), meta, path, random_state, logger)
        return path

    rows = df.count()
    counts = None
    if target_col is not None:
        pairs = df.groupBy(target_col).count().collect()
        counts = pd.Series({r[0]: r[1] for r in pairs if r[0] is not None}, dtype=float)
    keep = pf.keep_probabilities(int(rows), sample_rows, counts)
    out_schema = df.schema

    def sample_run(batches):
        pid = TaskContext.get().partitionId()
        for k, batch in enumerate(batches):
            kept = pf.sample_partition(typed_batch(batch, meta), (pid << 20) + k, seed, keep,
                                       target_col)
            yield to_spark_frame(kept).reset_index(drop=True)

    sample = typed_batch(df.mapInPandas(sample_run, out_schema).toPandas(), meta)
    pf.fit_on_sample(sample, path, options, seed, random_state, logger)
    return path
