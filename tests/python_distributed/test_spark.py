"""calm_data_generator.spark on Spark local[2]: the partitions in order are the single-process
rows (compared as CSV after the same type mapping), the schema maps calm's types, and the frame
is lazy. Runs in the spark venv that scripts/test_python.sh makes (bench/peer_env.sh spark), with
Java from Debian (openjdk-17-jre-headless)."""

import io
import os
import sys

import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark")

from calm_data_generator.distributed import BLOCK_ROWS  # noqa: E402
from calm_data_generator.generators.stream import StreamGenerator  # noqa: E402
from calm_data_generator.generators.tabular import RealGenerator  # noqa: E402
from calm_data_generator.spark import generate, to_spark_frame  # noqa: E402


def frame() -> pd.DataFrame:
    n = 150
    return pd.DataFrame({
        "x": [round((i * 37 % 101) / 10.0, 1) for i in range(n)],
        "k": pd.array([i % 9 if i % 13 else None for i in range(n)], dtype="Int64"),
        "flag": [i % 4 == 0 for i in range(n)],
        "label": ["yes" if i % 3 == 0 else "no" for i in range(n)],
    })


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers: this venv's python
    session = (SparkSession.builder.master("local[2]").appName("calm-test")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    yield session
    session.stop()


@pytest.fixture(scope="module")
def fitted():
    gen = RealGenerator(auto_report=False, random_state=5)
    gen.generate(frame(), n_samples=10, method="cart")
    return gen


def csv_text(df: pd.DataFrame) -> str:
    out = io.StringIO()
    df.to_csv(out, index=False)
    return out.getvalue()


def normal(df: pd.DataFrame) -> str:
    """CSV text after what toPandas does to types: a long column with nulls comes back as
    float64, text as str or object."""
    out = df.copy()
    for name, col in out.items():
        if pd.api.types.is_integer_dtype(col.dtype) or pd.api.types.is_float_dtype(col.dtype):
            out[name] = col.astype("float64")
        elif not (pd.api.types.is_bool_dtype(col.dtype)
                  or pd.api.types.is_datetime64_any_dtype(col.dtype)):
            out[name] = col.astype(object)
    return csv_text(out)


def test_partitions_in_order_are_the_single_process_rows(spark, fitted):
    from pyspark.sql import types as T

    n = BLOCK_ROWS + 1234
    df = generate(spark, fitted, n, num_partitions=2, date_start="2024-01-01",
                  date_step={"hours": 1})
    assert df.rdd.getNumPartitions() == 2
    fields = {f.name: type(f.dataType) for f in df.schema.fields}
    assert fields == {"timestamp": T.TimestampType, "x": T.DoubleType, "k": T.LongType,
                      "flag": T.BooleanType, "label": T.StringType}
    got = df.toPandas()
    single = to_spark_frame(StreamGenerator(fitted, n_samples=n, date_start="2024-01-01",
                                            date_step={"hours": 1}).rows(0, n))
    assert len(got) == n
    assert normal(got) == normal(single.reset_index(drop=True))


def test_bad_arguments(spark, fitted):
    with pytest.raises(ValueError, match="n_samples"):
        generate(spark, fitted, 0)
