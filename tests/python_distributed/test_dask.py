"""calm_data_generator.distributed on a real dask LocalCluster (2 worker processes, 1 thread
each): the partitions put together equal the single-process rows byte for byte (CSV) whatever
the partition count, and the lazy frame has the right dtypes without computing. Runs in the dask
venv that scripts/test_python.sh makes (bench/peer_env.sh dask), never in the tests' interpreter."""

import io
import os
import time

import pandas as pd
import pytest

from calm_data_generator.distributed import BLOCK_ROWS, generate, partition_ranges
from calm_data_generator.generators.stream import StreamGenerator
from calm_data_generator.generators.tabular import RealGenerator

distributed = pytest.importorskip("distributed")  # the venv has it; a bare interpreter skips


def frame() -> pd.DataFrame:
    n = 150
    return pd.DataFrame({
        "x": [round((i * 37 % 101) / 10.0, 1) for i in range(n)],
        "k": pd.array([i % 9 if i % 13 else None for i in range(n)], dtype="Int64"),
        "label": ["yes" if i % 3 == 0 else "no" for i in range(n)],
    })


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    gen = RealGenerator(auto_report=False, random_state=9)
    gen.generate(frame(), n_samples=10, method="cart")
    path = tmp_path_factory.mktemp("m") / "model.calm"
    gen.save(path)
    return gen, path


def csv_text(df: pd.DataFrame) -> str:
    out = io.StringIO()
    df.to_csv(out, index=False)
    return out.getvalue()


def test_partition_ranges_are_whole_blocks():
    assert partition_ranges(10, 4) == [(0, 10)]
    n = 3 * BLOCK_ROWS + 5
    assert partition_ranges(n, 2) == [(0, 2 * BLOCK_ROWS), (2 * BLOCK_ROWS, n)]
    assert partition_ranges(n, 9) == [(0, BLOCK_ROWS), (BLOCK_ROWS, 2 * BLOCK_ROWS),
                                      (2 * BLOCK_ROWS, 3 * BLOCK_ROWS), (3 * BLOCK_ROWS, n)]


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_partitions_equal_the_single_process_rows(client, fitted, npartitions):
    gen, path = fitted
    n = 2 * BLOCK_ROWS + 777
    lazy = generate(path, n, npartitions=npartitions, random_state=4,
                    date_start="2024-01-01", date_step={"minutes": 1})
    assert lazy.npartitions == min(npartitions, 3)
    assert list(lazy.dtypes) == list(lazy._meta.dtypes)  # meta given, nothing computed
    got = lazy.compute()
    single = StreamGenerator(gen, n_samples=n, random_state=4, date_start="2024-01-01",
                             date_step={"minutes": 1}).rows(0, n)
    assert len(got) == n
    assert csv_text(got) == csv_text(single)
    assert list(got.index[:3]) == [0, 1, 2] and got.index[-1] == n - 1


def test_generator_and_path_give_the_same_rows(client, fitted):
    gen, path = fitted
    a = generate(gen, 5000, npartitions=2).compute()
    b = generate(path, 5000, random_state=9).compute()
    assert csv_text(a) == csv_text(b)


def test_a_worker_that_dies_mid_job_changes_no_row(fitted):
    # A cluster of its own (the shared one stays whole): one worker process is killed while the
    # partitions are computed; dask recomputes what it held and the rows are the same.
    gen, path = fitted
    n = 8 * BLOCK_ROWS
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        future = c.compute(generate(path, n, npartitions=8, random_state=4))
        time.sleep(1.0)
        victim = sorted(c.scheduler_info()["workers"])[0]
        try:
            c.run(lambda: os._exit(1), workers=[victim])
        except Exception:  # the worker is gone before it can answer
            pass
        got = future.result(timeout=600)
    cluster.close()
    single = StreamGenerator(gen, n_samples=n, random_state=4).rows(0, n)
    assert csv_text(got) == csv_text(single)


def test_bad_arguments(fitted):
    with pytest.raises(ValueError, match="n_samples"):
        generate(fitted[1], 0)
    with pytest.raises(TypeError, match="model"):
        generate(42, 10)
    with pytest.raises(ValueError, match="nothing to save"):
        generate(RealGenerator(), 10)


# --- fitting from partitions (distributed.fit) ------------------------------------------------

DATASETS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets")


def diamonds() -> pd.DataFrame:
    return pd.read_csv(os.path.join(DATASETS, "diamonds.csv"))


def test_fit_copula_from_partitions_gives_a_model_like_the_data(client, tmp_path):
    import dask.dataframe as dd

    from calm_data_generator.distributed import fit

    real = diamonds()
    frame_dd = dd.from_pandas(real, npartitions=6)
    path = fit(frame_dd, tmp_path / "d.calm", random_state=3)
    gen = RealGenerator.load(path, auto_report=False, random_state=1)
    synth = gen.generate(data=None, n_samples=20000)
    assert list(synth.columns) == list(real.columns)
    assert list(synth.dtypes) == list(frame_dd.dtypes)  # dask's (text may be string[pyarrow])
    assert abs(synth["carat"].corr(synth["price"]) - real["carat"].corr(real["price"])) < 0.05
    shares = synth["cut"].value_counts(normalize=True)
    for level, share in real["cut"].value_counts(normalize=True).items():
        assert abs(shares.get(level, 0.0) - share) < 0.02, level
    assert synth["price"].between(real["price"].min(), real["price"].max()).all()
    # The same frame, partitions and seed give the same file.
    again = fit(dd.from_pandas(real, npartitions=6), tmp_path / "e.calm", random_state=3)
    with open(path, "rb") as a, open(again, "rb") as b:
        assert a.read() == b.read()


def test_fit_other_methods_on_a_seeded_stratified_sample(client, tmp_path):
    import dask.dataframe as dd

    from calm_data_generator.distributed import fit

    real = diamonds()
    path = fit(dd.from_pandas(real, npartitions=4), tmp_path / "c.calm", method="cart",
               target_col="cut", sample_rows=4000, random_state=2)
    gen = RealGenerator.load(path, auto_report=False, random_state=1)
    assert gen._model.method == "cart"
    synth = gen.generate(data=None, n_samples=3000)
    assert set(synth["cut"]) <= set(real["cut"])
    assert abs(synth["price"].mean() / real["price"].mean() - 1) < 0.1


def test_fit_refuses_bad_arguments(client, tmp_path):
    import dask.dataframe as dd

    from calm_data_generator.distributed import fit

    frame_dd = dd.from_pandas(frame(), npartitions=2)
    with pytest.raises(TypeError, match="dask.dataframe.DataFrame"):
        fit(frame(), tmp_path / "x.calm")
    with pytest.raises(ValueError, match="gaussian_copula"):
        fit(frame_dd, tmp_path / "x.calm", method="nope")
    with pytest.raises(ValueError, match="target_col 'nope' is not a column"):
        fit(frame_dd, tmp_path / "x.calm", target_col="nope")
    with pytest.raises(ValueError, match="sample_rows"):
        fit(frame_dd, tmp_path / "x.calm", method="cart", sample_rows=1)
    assert not (tmp_path / "x.calm").exists()
