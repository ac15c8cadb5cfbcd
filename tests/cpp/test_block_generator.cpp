// RealBlockGenerator: rows per block (proportional, largest remainder, or given), per-block
// marginals (each block has its own model), determinism, block column placement, small-block
// errors and the CLI's --block-column.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "calm/api/real_block_generator.hpp"
#include "calm/calm.hpp"
#include "calm/core/rng.hpp"

using namespace calm;

namespace {

// store 1, 2, 3 with 100, 200, 300 rows; x ~ N(10 * store, 1); a class column.
Table stores() {
  Rng rng(5, 0);
  std::vector<double> x;
  std::vector<int64_t> store;
  std::vector<int32_t> cls;
  for (int s = 1; s <= 3; ++s)
    for (int i = 0; i < 100 * s; ++i) {
      x.push_back(10.0 * s + rng.normal());
      store.push_back(s);
      cls.push_back(rng.uniform() < 0.2 ? 1 : 0);
    }
  return Table({Column::float64("x", x), Column::int64("StoreID", store),
                Column::categorical("cls", cls, {"no", "yes"})});
}

RealBlockGenerator block_generator(uint64_t seed, int threads = 1) {
  GeneratorSettings s;
  s.random_state = seed;
  s.threads = threads;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return RealBlockGenerator(s);
}

GenerateOptions options(int64_t n, const std::string& method = "gmm") {
  GenerateOptions o;
  o.n_samples = n;
  o.method = method;
  if (method == "gmm") o.model_params = Json{{"n_components", 2}};
  return o;
}

BlockOptions by_store() {
  BlockOptions b;
  b.block_column = "StoreID";
  return b;
}

std::map<int64_t, std::pair<size_t, double>> per_store(const Table& t) {
  std::map<int64_t, std::pair<size_t, double>> out;
  for (size_t i = 0; i < t.num_rows(); ++i) {
    auto& [count, sum] = out[t.column("StoreID").i64[i]];
    ++count;
    sum += t.column("x").f64[i];
  }
  return out;
}

template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(RealBlockGenerator, SplitsRowsByBlockSizeAndLearnsEachBlock) {
  Table out = block_generator(1).generate(stores(), options(1000), by_store());
  ASSERT_EQ(out.num_rows(), 1000u);
  EXPECT_EQ(out.column(1).name, "StoreID");  // block column keeps its place
  auto s = per_store(out);
  EXPECT_EQ(s[1].first, 167u);  // 166.67 -> 167 (largest remainder)
  EXPECT_EQ(s[2].first, 333u);
  EXPECT_EQ(s[3].first, 500u);
  for (int64_t k = 1; k <= 3; ++k)
    EXPECT_NEAR(s[k].second / static_cast<double>(s[k].first), 10.0 * k, 0.5) << "store " << k;
  // Blocks come out in block order.
  EXPECT_EQ(out.column("StoreID").i64.front(), 1);
  EXPECT_EQ(out.column("StoreID").i64.back(), 3);
}

TEST(RealBlockGenerator, DeterministicUnderSeedAndThreads) {
  auto a = block_generator(7, 1).generate(stores(), options(300), by_store());
  auto b = block_generator(7, 2).generate(stores(), options(300), by_store());
  auto c = block_generator(8, 1).generate(stores(), options(300), by_store());
  bool same_ab = true, same_ac = true;
  for (size_t i = 0; i < a.num_rows(); ++i) {
    same_ab = same_ab && a.column("x").text(i) == b.column("x").text(i);
    same_ac = same_ac && a.column("x").text(i) == c.column("x").text(i);
  }
  EXPECT_TRUE(same_ab);
  EXPECT_FALSE(same_ac);
}

TEST(RealBlockGenerator, GivenBlockSizesAndSharedArguments) {
  BlockOptions b = by_store();
  b.block_sizes = Json{{"1", 40}, {"3", 0}};  // store 2 is not listed: its real size, 200
  GenerateOptions o = options(0);
  o.custom_distributions = Json{{"cls", {{"no", 0.5}, {"yes", 0.5}}}};
  o.constraints = Json::array({{{"col", "x"}, {"op", ">"}, {"val", 11}}});
  Table out = block_generator(2).generate(stores(), o, b);
  auto s = per_store(out);
  EXPECT_EQ(s[1].first, 40u);
  EXPECT_EQ(s[2].first, 200u);
  EXPECT_EQ(s.count(3), 0u);
  size_t yes = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) {
    yes += out.column("cls").text(i) == "yes";
    EXPECT_GT(out.column("x").f64[i], 11);
  }
  EXPECT_EQ(yes, 120u);  // 20 + 100: shares are met inside every block
  b.block_sizes = Json{{"9", 5}};
  EXPECT_NE(error_of([&] {
              block_generator(2).generate(stores(), o, b);
            }).find("unknown block '9'; blocks of 'StoreID': 1, 2, 3"),
            std::string::npos);
}

TEST(RealBlockGenerator, SmallBlocksErrorOrAreSkipped) {
  Table t = stores();
  // Build a table whose store 4 has a single row.
  std::vector<double> x = t.column("x").f64;
  std::vector<int64_t> store = t.column("StoreID").i64;
  std::vector<int32_t> cls = t.column("cls").codes;
  x.push_back(99);
  store.push_back(4);
  cls.push_back(0);
  Table small({Column::float64("x", x), Column::int64("StoreID", store),
               Column::categorical("cls", cls, {"no", "yes"})});
  EXPECT_NE(error_of([&] {
              block_generator(3).generate(small, options(100), by_store());
            }).find("block '4' of 'StoreID' has 1 row"),
            std::string::npos);
  BlockOptions skip = by_store();
  skip.skip_small_blocks = true;
  Table out = block_generator(3).generate(small, options(100), skip);
  EXPECT_EQ(out.num_rows(), 100u);
  EXPECT_EQ(per_store(out).count(4), 0u);
  BlockOptions bad;
  bad.block_column = "Store";
  EXPECT_THROW(block_generator(3).generate(t, options(10), bad), InvalidArgument);
}

TEST(RealBlockGenerator, CliBlockColumnFlag) {
  auto dir = std::filesystem::temp_directory_path() / "calm_block_cli";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  write_csv(stores(), (dir / "stores.csv").string());
  const std::string cmd = std::string(CALM_CLI_PATH) + " generate " +
                          (dir / "stores.csv").string() +
                          " -n 60 -m resample --block-column StoreID --no-report --seed 1 -q -o " +
                          dir.string() + " --name b >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  Table out = read_csv((dir / "b_synthetic.csv").string());
  auto s = per_store(out);
  EXPECT_EQ(s[1].first, 10u);
  EXPECT_EQ(s[2].first, 20u);
  EXPECT_EQ(s[3].first, 30u);
  std::filesystem::remove_all(dir);
}

TEST(RealBlockGenerator, CliChunkSizeAndSamplesPerBlock) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "calm_block_cli_chunks";
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_csv(stores(), (dir / "stores.csv").string());
  const std::string head = std::string(CALM_CLI_PATH) + " generate " +
                           (dir / "stores.csv").string() +
                           " -m resample --no-report --seed 1 -q -o " + dir.string();
  // 600 rows in chunks of 250: chunks 0, 1, 2 with 4 rows each, -n left out
  ASSERT_EQ(
      std::system(
          (head + " --name c --chunk-size 250 --samples-per-block 4 >/dev/null 2>&1").c_str()),
      0);
  Table chunked = read_csv((dir / "c_synthetic.csv").string());
  ASSERT_TRUE(chunked.has("chunk"));
  std::map<std::string, size_t> per_chunk;
  for (size_t i = 0; i < chunked.num_rows(); ++i) ++per_chunk[chunked.column("chunk").text(i)];
  EXPECT_EQ(per_chunk, (std::map<std::string, size_t>{{"0", 4}, {"1", 4}, {"2", 4}}));
  // BLOCK=N names one block; the others keep their real sizes (100, 200, 300)
  ASSERT_EQ(std::system((head + " --name s --block-column StoreID --samples-per-block 2=5"
                                " >/dev/null 2>&1")
                            .c_str()),
            0);
  auto s = per_store(read_csv((dir / "s_synthetic.csv").string()));
  EXPECT_EQ(s[1].first, 100u);
  EXPECT_EQ(s[2].first, 5u);
  EXPECT_EQ(s[3].first, 300u);
  // both strategies, or counts without a strategy: usage errors (exit 2)
  EXPECT_NE(
      std::system((head + " -n 5 --block-column StoreID --chunk-size 5 >/dev/null 2>&1").c_str()),
      0);
  EXPECT_NE(std::system((head + " -n 5 --samples-per-block 3 >/dev/null 2>&1").c_str()), 0);
  // a count too large for int64 is a usage error (2), not an internal one (1)
  const int rc = std::system((head + " --block-column StoreID --samples-per-block "
                                     "99999999999999999999 >/dev/null 2>&1")
                                 .c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);
  fs::remove_all(dir);
}

TEST(RealBlockGenerator, ParallelBlocksAreIdenticalForAnyThreadCount) {
  // cart and gaussian_copula through the thread pool: 1, 2 and 3 workers give the same table.
  for (const char* method : {"cart", "gaussian_copula"}) {
    auto one = block_generator(11, 1).generate(stores(), options(600, method), by_store());
    for (int threads : {2, 3}) {
      auto more = block_generator(11, threads).generate(stores(), options(600, method), by_store());
      ASSERT_EQ(one.num_rows(), more.num_rows());
      for (const auto& name : one.column_names())
        for (size_t i = 0; i < one.num_rows(); ++i)
          ASSERT_EQ(one.column(name).text(i), more.column(name).text(i))
              << method << " threads " << threads << " column " << name << " row " << i;
    }
  }
}

TEST(RealBlockGenerator, WritesAReportFolderPerBlockAndTheCombinedOne) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "calm_block_reports";
  fs::remove_all(dir);
  GeneratorSettings s;
  s.random_state = 4;
  s.threads = 2;
  s.minimal_report = true;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  GenerateOptions o = options(300, "resample");
  o.output_dir = dir.string();
  GenerateResult r = RealBlockGenerator(s).run(stores(), o, by_store());
  EXPECT_TRUE(fs::exists(dir / "comparison_report.html"));
  for (const char* block : {"1", "2", "3"}) {
    const fs::path sub = dir / "blocks" / block;
    EXPECT_TRUE(fs::exists(sub / "comparison_report.html")) << sub;
    ASSERT_TRUE(fs::exists(sub / "sdv_quality_report.json")) << sub;
    // The block's report compares the block's own rows: no StoreID column, its row counts.
    std::ifstream in(sub / "sdv_quality_report.json");
    const Json j = Json::parse(in);
    for (const auto& c : j["column_shapes"]) EXPECT_NE(c["column"], "StoreID");
    EXPECT_NE(std::find(r.files.begin(), r.files.end(), (sub / "comparison_report.html").string()),
              r.files.end());
  }
  fs::remove_all(dir);
}
