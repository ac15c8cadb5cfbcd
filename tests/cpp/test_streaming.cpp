// Streaming runs (core/row_blocks.hpp, RealGenerator::run_streamed / run_fitted_streamed, calm
// sample/generate with a file, '-' or --shard): the rows written block by block equal the
// in-memory output, shards put together equal the whole file byte for byte whatever the thread
// count, dates continue across blocks, and what cannot be streamed says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "calm/calm.hpp"
#include "calm/core/row_blocks.hpp"
#include "calm/core/text.hpp"
#include "calm/io/table_sink.hpp"
#include "cli_test_support.hpp"

using namespace calm;
using calm::cli_test::slurp;
using calm::cli_test::TempDir;
namespace fs = std::filesystem;

namespace {

Table mixed_table(size_t n = 300) {
  std::vector<double> x(n);
  std::vector<int64_t> k(n);
  std::vector<int32_t> cls(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = 0.37 * static_cast<double>(i % 97) + 0.01 * static_cast<double>(i % 7);
    k[i] = static_cast<int64_t>((i * 7) % 50);
    cls[i] = static_cast<int32_t>(i % 3);
  }
  return Table({Column::float64("x", x), Column::int64("k", k),
                Column::categorical("cls", cls, {"a", "b", "c"})});
}

RealGenerator fitted_generator(int threads, const std::string& method = "cart") {
  GeneratorSettings s;
  s.random_state = 7;
  s.threads = threads;
  s.auto_report = false;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  RealGenerator g(s);
  GenerateOptions o;
  o.n_samples = 10;
  o.method = method;
  g.run(mixed_table(), o);
  return g;
}

// Rows of a run from the fitted generator `g`, streamed into `path` (a shard when given).
void stream_to(RealGenerator& g, const GenerateOptions& o, const std::string& path,
               std::optional<std::pair<size_t, size_t>> shard = std::nullopt) {
  SinkOptions so;
  so.header = !shard || shard_holds_first_block(static_cast<size_t>(o.n_samples), shard->first,
                                                shard->second);
  auto sink = open_sink(path, so);
  StreamOptions stream;
  stream.sink = sink.get();
  stream.shard = shard;
  g.run_fitted_streamed(o, nullptr, stream);
}

const size_t kRows = 2 * kRowBlock + 12345;  // three blocks, the last one partial

}  // namespace

TEST(RowBlocks, ShardsCoverEveryBlockOnceInOrder) {
  for (size_t n : {size_t{1}, kRowBlock, kRowBlock + 1, 10 * kRowBlock + 3})
    for (size_t k : {1, 2, 3, 7, 20}) {
      size_t next = 0;
      for (size_t i = 0; i < k; ++i) {
        BlockRange r = shard_blocks(n, i, k);
        EXPECT_EQ(r.first, next);
        next = r.last;
      }
      EXPECT_EQ(next, row_block_count(n));
    }
  EXPECT_EQ(row_block_rows(kRows, 2), size_t{12345});
  EXPECT_EQ(row_block_rows(kRows, 3), size_t{0});
  EXPECT_EQ(row_block_seed(99, 0), uint64_t{99});
  EXPECT_NE(row_block_seed(99, 1), row_block_seed(99, 2));
}

TEST(Streaming, StreamedRowsEqualTheInMemoryOutput) {
  RealGenerator g = fitted_generator(2);
  GenerateOptions o;
  o.n_samples = static_cast<int64_t>(kRows);
  TempDir dir;
  const std::string path = (dir.path / "out.csv").string();
  stream_to(g, o, path);
  Table streamed = read_csv(path);
  Table memory = g.sample(o);
  ASSERT_EQ(streamed.num_rows(), kRows);
  ASSERT_EQ(memory.num_rows(), kRows);
  for (size_t c = 0; c < memory.num_columns(); ++c)
    for (size_t i = 0; i < kRows; i += 997)
      ASSERT_EQ(streamed.column(c).text(i), memory.column(c).text(i)) << "row " << i;
  // Blocks are independent draws: block 1 does not repeat block 0.
  size_t same = 0;
  for (size_t i = 0; i < 1000; ++i)
    same += memory.column("x").text(i) == memory.column("x").text(kRowBlock + i);
  EXPECT_LT(same, size_t{200});
}

TEST(Streaming, ShardsJoinToTheWholeFileForAnyThreadCount) {
  GenerateOptions o;
  o.n_samples = static_cast<int64_t>(kRows);
  TempDir dir;
  RealGenerator one = fitted_generator(1);
  stream_to(one, o, (dir.path / "whole.csv").string());
  const std::string whole = slurp(dir.path / "whole.csv");
  RealGenerator two = fitted_generator(2);
  std::string joined;
  for (size_t i = 0; i < 3; ++i) {
    const std::string part = (dir.path / ("part" + std::to_string(i)).append(".csv")).string();
    stream_to(two, o, part, std::make_pair(i, size_t{3}));
    joined += slurp(part);
  }
  EXPECT_EQ(joined.size(), whole.size());
  const auto diff = std::mismatch(joined.begin(), joined.end(), whole.begin(), whole.end());
  EXPECT_TRUE(joined == whole) << "first difference at byte " << (diff.first - joined.begin())
                               << ": " << joined.substr(diff.first - joined.begin(), 80) << " vs "
                               << whole.substr(diff.second - whole.begin(), 80);
  // More shards than blocks: the extra shards are empty, the join is still the whole file.
  joined.clear();
  for (size_t i = 0; i < 5; ++i) {
    const std::string part = (dir.path / std::string("p").append(std::to_string(i))).string();
    stream_to(two, o, part, std::make_pair(i, size_t{5}));
    joined += slurp(part);
  }
  EXPECT_TRUE(joined == whole);
}

TEST(Streaming, DatesContinueAcrossBlocks) {
  RealGenerator g = fitted_generator(2);
  GenerateOptions o;
  o.n_samples = static_cast<int64_t>(kRows);
  o.date_start = "2020-01-01";
  o.date_step = Json{{"minutes", 1}};
  TempDir dir;
  const std::string path = (dir.path / "dated.csv").string();
  stream_to(g, o, path);
  Table t = read_csv(path);
  const Column& ts = t.column("timestamp");
  const int64_t day0 = *parse_datetime("2020-01-01");
  for (size_t r : {size_t{0}, kRowBlock - 1, kRowBlock, kRows - 1})
    EXPECT_EQ(ts.i64[r], day0 + static_cast<int64_t>(r) * 60 * kNanosPerSecond) << "row " << r;
}

TEST(Streaming, ReportsSeeASeededSampleOfTheRows) {
  RealGenerator g = fitted_generator(2);
  GenerateOptions o;
  o.n_samples = static_cast<int64_t>(kRows);
  TempDir dir;
  SinkOptions so;
  auto sink = open_sink((dir.path / "r.csv").string(), so);
  StreamOptions stream;
  stream.sink = sink.get();
  stream.report_rows = 5000;
  GenerateResult a = g.run_fitted_streamed(o, nullptr, stream);
  EXPECT_EQ(a.synthetic.num_rows(), size_t{5000});
  auto sink2 = open_sink((dir.path / "r2.csv").string(), so);
  stream.sink = sink2.get();
  GenerateResult b = g.run_fitted_streamed(o, nullptr, stream);
  for (size_t i = 0; i < 5000; i += 101)
    EXPECT_EQ(a.synthetic.column("x").text(i), b.synthetic.column("x").text(i));
}

TEST(Streaming, AShardRefusesDynamicsThatSpanTheWholeOutput) {
  RealGenerator g = fitted_generator(1);
  GenerateOptions o;
  o.n_samples = 1000;
  o.dynamics_config =
      Json::parse(R"({"evolve_features": {"x": {"type": "random_walk", "step_std": 0.1}}})");
  TempDir dir;
  try {
    stream_to(g, o, (dir.path / "s.csv").string(), std::make_pair(size_t{0}, size_t{2}));
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("shard"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path / "s.csv"));
}

TEST(Streaming, CliShardsAndStdoutEqualTheWholeFile) {
  using calm::cli_test::run;
  TempDir dir;
  const std::string model = (dir.path / "m.calm").string();
  ASSERT_EQ(run("generate " + calm::cli_test::kPenguins + " -n 100 -q --no-report --seed 3 -o " +
                (dir.path / "fit").string() + " --save-model " + model),
            0);
  const std::string n = std::to_string(kRowBlock + 777);
  const std::string whole = (dir.path / "whole.csv").string();
  ASSERT_EQ(run("sample " + model + " -n " + n + " --seed 5 -q -o " + whole), 0);
  std::string joined;
  for (int i = 0; i < 2; ++i) {
    const std::string part =
        (dir.path / std::string("s").append(std::to_string(i)).append(".csv")).string();
    ASSERT_EQ(run("sample " + model + " -n " + n + " --seed 5 -q --threads 1 --shard " +
                  std::to_string(i) + "/2 -o " + part),
              0);
    joined += slurp(part);
  }
  EXPECT_TRUE(joined == slurp(whole));
  const std::string piped = (dir.path / "piped.csv").string();
  ASSERT_EQ(std::system((calm::cli_test::kCli + " sample " + model + " -n " + n +
                         " --seed 5 -q -o - > " + piped)
                            .c_str()),
            0);
  EXPECT_TRUE(slurp(piped) == slurp(whole));
  std::string out;
  EXPECT_EQ(run("sample " + model + " -n 10 --shard 2/2 -o " + whole, &out), 2);
  EXPECT_NE(out.find("--shard"), std::string::npos) << out;
}

TEST(FitRows, FitsOnAStratifiedSeededSampleOfTheRealRows) {
  // resample copies training rows: with fit_rows 30 the output holds at most 30 distinct rows,
  // ten of each class (stratified by the target), the same ones for the same seed.
  std::vector<double> x(300);
  std::vector<int32_t> cls(300);
  for (size_t i = 0; i < 300; ++i) {
    x[i] = static_cast<double>(i);
    cls[i] = i < 30 ? 0 : (i < 120 ? 1 : 2);  // shares 10%, 30%, 60%
  }
  const Table data({Column::float64("x", x), Column::categorical("cls", cls, {"a", "b", "c"})});
  auto run = [&](uint64_t seed) {
    GeneratorSettings s;
    s.random_state = seed;
    s.auto_report = false;
    s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
    GenerateOptions o;
    o.n_samples = 3000;
    o.method = "resample";
    o.target_col = "cls";
    o.fit_rows = 30;
    return RealGenerator(s).generate(data, o);
  };
  const Table out = run(4);
  std::map<double, int32_t> distinct;
  for (size_t i = 0; i < out.num_rows(); ++i)
    distinct[out.column("x").f64[i]] = out.column("cls").codes[i];
  EXPECT_LE(distinct.size(), size_t{30});
  std::vector<int> per_class(3, 0);
  for (const auto& [value, c] : distinct) ++per_class[static_cast<size_t>(c)];
  EXPECT_EQ(per_class, (std::vector<int>{3, 9, 18}));
  const Table again = run(4);
  for (size_t i = 0; i < out.num_rows(); i += 37)
    EXPECT_EQ(again.column("x").f64[i], out.column("x").f64[i]);
  GenerateOptions bad;
  bad.n_samples = 10;
  bad.fit_rows = -5;
  EXPECT_THROW(RealGenerator().generate(data, bad), InvalidArgument);
}

TEST(Streaming, CliDatabaseAndDiskErrorsExitTwoAndLeaveNothing) {
  using calm::cli_test::kPenguins;
  using calm::cli_test::run;
  TempDir dir;
  const std::string db = (dir.path / "o.sqlite").string();
  std::string out;
  ASSERT_EQ(run("generate " + kPenguins + " -n 50 -q --no-report -o " + db + " --table t"), 0);
  EXPECT_EQ(run("generate " + kPenguins + " -n 50 -q --no-report -o " + db + " --table t", &out),
            2);
  EXPECT_NE(out.find("already exists"), std::string::npos) << out;
  EXPECT_EQ(run("generate " + kPenguins + " -n 50 -q --no-report -o " + db, &out), 2);
  EXPECT_NE(out.find("table"), std::string::npos) << out;
  EXPECT_EQ(run("generate " + kPenguins +
                    " -n 50 -q --no-report -o postgresql://calm:sesame@127.0.0.1:1/db --table t",
                &out),
            2);
  EXPECT_NE(out.find("127.0.0.1"), std::string::npos) << out;
  EXPECT_EQ(out.find("sesame"), std::string::npos) << "the password leaked: " << out;
  EXPECT_EQ(run("generate " + db + " --query 'select nope from t' -n 5 -q --no-report -o -", &out),
            2);
  EXPECT_NE(out.find("nope"), std::string::npos) << out;
  // A disk that fills (a 2 MB file size limit): exit 2, no file, no temporary file.
  const fs::path full = dir.path / "full";
  fs::create_directories(full);
  EXPECT_EQ(
      run("generate " + kPenguins + " -n 2000000 -q --no-report -o " + (full / "big.csv").string(),
          &out, "ulimit -f 2048; "),
      2);
  EXPECT_TRUE(fs::is_empty(full)) << out;
}

TEST(Streaming, DriftStartsAtItsGlobalRowInEveryBlockAndShard) {
  // A shift that starts at row kRowBlock + 1000 (inside block 1) and a gradual one over the whole
  // output: the streamed file, its shards and the in-memory output agree, and no row before the
  // start moved.
  RealGenerator g = fitted_generator(2);
  GenerateOptions plain;
  plain.n_samples = static_cast<int64_t>(kRows);
  GenerateOptions o = plain;
  const size_t start = kRowBlock + 1000;
  o.drift_injection_config = Json::parse(
      R"([{"method": "inject_feature_drift", "params": {"feature_cols": ["x"],
           "drift_type": "shift", "drift_magnitude": 2.0, "start_index": )" +
      std::to_string(start) + R"(}},
          {"method": "inject_feature_drift_gradual", "params": {"feature_cols": ["k"],
           "drift_type": "shift", "drift_magnitude": 1.0}}])");
  TempDir dir;
  const std::string whole = (dir.path / "drift.csv").string();
  stream_to(g, o, whole);
  std::string joined;
  for (size_t i = 0; i < 3; ++i) {
    const std::string part = (dir.path / ("d" + std::to_string(i)).append(".csv")).string();
    stream_to(g, o, part, std::make_pair(i, size_t{3}));
    joined += slurp(part);
  }
  EXPECT_TRUE(joined == slurp(whole));
  const Table streamed = read_csv(whole);
  const Table memory = g.sample(o);
  const Table before = g.sample(plain);
  for (size_t i = 0; i < kRows; i += 1013)
    ASSERT_EQ(streamed.column("x").text(i), memory.column("x").text(i)) << "row " << i;
  size_t moved_before = 0, moved_after = 0;
  for (size_t i = 0; i < kRows; ++i) {
    const bool moved = memory.column("x").f64[i] != before.column("x").f64[i];
    (i < start ? moved_before : moved_after) += moved;
  }
  EXPECT_EQ(moved_before, size_t{0});
  EXPECT_GT(moved_after, (kRows - start) * 9 / 10);
  // The gradual shift of k grows along the whole output, not within each block: the mean shift
  // over the last block is larger than over the first.
  auto mean_shift = [&](size_t from, size_t to) {
    double sum = 0;
    for (size_t i = from; i < to; ++i)
      sum += memory.column("k").numeric(i) - before.column("k").numeric(i);
    return sum / static_cast<double>(to - from);
  };
  EXPECT_LT(mean_shift(0, 10000), mean_shift(kRows - 10000, kRows));
  EXPECT_LT(mean_shift(kRowBlock - 10000, kRowBlock), mean_shift(2 * kRowBlock, kRows));
}
