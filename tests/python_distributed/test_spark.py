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


# --- fitting from partitions (spark.fit) ----------------------------------------------------

DATASETS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets")


def test_fit_copula_from_spark_partitions(spark, tmp_path):
    from calm_data_generator.spark import fit

    real = pd.read_csv(os.path.join(DATASETS, "diamonds.csv"))
    df = spark.createDataFrame(real).repartition(4)
    path = fit(df, str(tmp_path / "d.calm"), random_state=3)
    synth = RealGenerator.load(path, auto_report=False, random_state=1).generate(data=None, n_samples=20000)
    assert list(synth.columns) == list(real.columns)
    assert str(synth["carat"].dtype) == "float64" and str(synth["price"].dtype) == "Int64"
    assert abs(synth["carat"].corr(synth["price"].astype(float))
               - real["carat"].corr(real["price"])) < 0.05
    shares = synth["cut"].value_counts(normalize=True)
    for level, share in real["cut"].value_counts(normalize=True).items():
        assert abs(shares.get(level, 0.0) - share) < 0.02, level
    # The merge order is the partitions' order: a second fit writes the same file.
    again = fit(df, str(tmp_path / "e.calm"), random_state=3)
    with open(path, "rb") as a, open(again, "rb") as b:
        assert a.read() == b.read()


def test_fit_other_methods_on_a_sample_of_spark_rows(spark, tmp_path):
    from calm_data_generator.spark import fit

    real = pd.read_csv(os.path.join(DATASETS, "penguins.csv"))
    df = spark.createDataFrame(real.astype(object).where(real.notna(), None)).repartition(3)
    path = fit(df, str(tmp_path / "p.calm"), method="cart", target_col="species",
               sample_rows=200, random_state=4)
    gen = RealGenerator.load(path, auto_report=False, random_state=1)
    assert gen._model.method == "cart"
    synth = gen.generate(data=None, n_samples=500)
    assert set(synth["species"].dropna()) <= set(real["species"].dropna())
