"""StreamGenerator (docs/streaming.md): batches of any size are the rows of one run (the same
rows generate() returns for the same seed), dates continue across batches, a stream can start
from a model file, and bad arguments raise TypeError/ValueError."""

import itertools

import pandas as pd
import pytest

from calm_data_generator.generators.stream import StreamGenerator
from calm_data_generator.generators.tabular import RealGenerator

BLOCK = 262_144  # rows per engine block (kRowBlock)


def frame() -> pd.DataFrame:
    n = 120
    return pd.DataFrame({
        "x": [round((i * 37 % 101) / 10.0, 1) for i in range(n)],
        "k": pd.array([i % 9 if i % 13 else None for i in range(n)], dtype="Int64"),
        "label": ["yes" if i % 3 == 0 else "no" for i in range(n)],
    })


@pytest.fixture(scope="module")
def fitted() -> RealGenerator:
    gen = RealGenerator(auto_report=False, random_state=11)
    gen.generate(frame(), n_samples=10, method="cart")
    return gen


def test_batches_are_the_rows_of_one_run(fitted):
    whole = fitted.generate(data=None, n_samples=3000)
    stream = StreamGenerator(fitted, batch_size=700, n_samples=3000)
    batches = list(stream)
    assert [len(b) for b in batches] == [700, 700, 700, 700, 200]
    joined = pd.concat(batches)
    assert list(joined.index) == list(range(3000))
    pd.testing.assert_frame_equal(joined.reset_index(drop=True), whole)
    assert list(joined.dtypes) == list(frame().dtypes)


def test_batch_size_does_not_change_the_rows_across_blocks(fitted):
    a = StreamGenerator(fitted, batch_size=100_000, random_state=5)
    b = StreamGenerator(fitted, batch_size=37_000, random_state=5)
    first = pd.concat(itertools.islice(a, 3))  # 300,000 rows: past the first block
    second = pd.concat(itertools.islice(b, 9)).iloc[:300_000]
    pd.testing.assert_frame_equal(first, second)
    # Random access gives the same rows, and block 1 is not block 0 again.
    edge = a.rows(BLOCK - 5, BLOCK + 5)
    pd.testing.assert_frame_equal(edge.reset_index(drop=True),
                                  first.iloc[BLOCK - 5:BLOCK + 5].reset_index(drop=True))
    assert not first.iloc[:1000].reset_index(drop=True).equals(
        first.iloc[BLOCK:BLOCK + 1000].reset_index(drop=True))


def test_dates_continue_across_batches_and_model_file(fitted, tmp_path):
    fitted.save(tmp_path / "m.calm")
    stream = StreamGenerator(tmp_path / "m.calm", batch_size=50, n_samples=120,
                             date_start="2024-01-01", date_step={"days": 1})
    dated = pd.concat(list(stream))
    expected = pd.date_range("2024-01-01", periods=120, freq="D")
    assert list(pd.to_datetime(dated["timestamp"])) == list(expected)
    assert stream.seed == 11  # the saved generator's random_state


def test_shares_as_generate_meets_them(fitted):
    shares = {"label": {"yes": 0.25, "no": 0.75}}
    stream = StreamGenerator(fitted, batch_size=10_000, n_samples=10_000,
                             custom_distributions=shares)
    batch = next(iter(stream))
    assert abs((batch["label"] == "yes").mean() - 0.25) < 0.01
    pd.testing.assert_frame_equal(
        batch, fitted.generate(data=None, n_samples=10_000, custom_distributions=shares))


def test_bad_arguments(fitted):
    with pytest.raises(ValueError, match="no fitted model"):
        StreamGenerator(RealGenerator())
    with pytest.raises(TypeError, match="source"):
        StreamGenerator(42)
    with pytest.raises(ValueError, match="batch_size"):
        StreamGenerator(fitted, batch_size=0)
    with pytest.raises(TypeError, match="n_samples"):
        StreamGenerator(fitted, n_samples="many")
    with pytest.raises(ValueError, match="dynamics_config"):
        StreamGenerator(fitted, dynamics_config={"evolve_features": {}})
    with pytest.raises(TypeError, match="unexpected option 'colour'"):
        StreamGenerator(fitted, colour="red")
    with pytest.raises(ValueError, match="custom_distributions"):
        StreamGenerator(fitted, custom_distributions={"nope": {"a": 1.0}})
    with pytest.raises(FileNotFoundError):
        StreamGenerator("/nonexistent/model.calm")


def test_tables_round_trip_through_sqlite(tmp_path, fitted):
    from calm_data_generator import read_table, write_table

    frame = fitted.generate(data=None, n_samples=500)
    path = tmp_path / "out.sqlite"
    write_table(frame, path, table="synth")
    back = read_table(path, table="synth")
    assert len(back) == 500 and list(back.columns) == list(frame.columns)
    assert (back["x"].to_numpy() == frame["x"].to_numpy()).all()
    assert read_table(path, query="select count(*) as n from synth")["n"][0] == 500
    with pytest.raises(ValueError, match="already exists"):
        write_table(frame, path, table="synth")
    write_table(frame, path, table="synth", if_exists="append")
    assert len(read_table(path, table="synth")) == 1000
    with pytest.raises(ValueError, match="if_exists"):
        write_table(frame, path, table="synth", if_exists="merge")


def test_drift_starts_at_its_global_row(fitted):
    drift = [{"method": "inject_feature_drift",
              "params": {"feature_cols": ["x"], "drift_type": "shift", "drift_magnitude": 3.0,
                         "start_index": BLOCK + 500}}]
    plain = StreamGenerator(fitted, batch_size=1000, random_state=2)
    drifted = StreamGenerator(fitted, batch_size=1000, random_state=2,
                              drift_injection_config=drift)
    a = plain.rows(BLOCK, BLOCK + 1000)
    b = drifted.rows(BLOCK, BLOCK + 1000)
    assert (a["x"].iloc[:500].to_numpy() == b["x"].iloc[:500].to_numpy()).all()
    assert (b["x"].iloc[500:].to_numpy() > a["x"].iloc[500:].to_numpy()).mean() > 0.9
