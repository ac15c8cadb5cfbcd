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
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

import pandas as pd

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
