// Resource limits (issue 21): a run that would need more memory than is available fails early
// with the estimate and the option that helps (--fit-rows, a smaller parameter, fewer rows),
// before fitting. The budget is set small through CALM_MEMORY_LIMIT, so nothing big is allocated.
#include <gtest/gtest.h>

#include <cstdlib>
#include <numeric>
#include <string>

#include "api/memory_guard.hpp"
#include "calm/api/methods.hpp"
#include "calm/api/real_generator.hpp"
#include "calm/core/error.hpp"
#include "calm/core/memory_budget.hpp"
#include "calm/io/csv.hpp"
#include "cli_test_support.hpp"

namespace calm {
namespace {

// Sets CALM_MEMORY_LIMIT for the scope of a test.
struct MemoryLimit {
  explicit MemoryLimit(const char* value) { ::setenv("CALM_MEMORY_LIMIT", value, 1); }
  ~MemoryLimit() { ::unsetenv("CALM_MEMORY_LIMIT"); }
};

Table numeric_table(size_t rows, size_t columns) {
  std::vector<Column> cols;
  for (size_t j = 0; j < columns; ++j) {
    std::vector<double> v(rows);
    for (size_t i = 0; i < rows; ++i) v[i] = static_cast<double>((i * 7 + j * 13) % 101);
    std::string name = "x";  // (not "x" + ...: GCC 12's -Wrestrict false positive)
    name += std::to_string(j);
    cols.push_back(Column::float64(name, std::move(v)));
  }
  return Table(std::move(cols));
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "no DataError";
}

TEST(MemoryBudget, TheEnvironmentSetsTheBudgetAndBadValuesAreNamed) {
  {
    MemoryLimit limit("512M");
    const auto b = memory_budget();
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->bytes, 512.0 * 1024 * 1024);
    EXPECT_EQ(b->source, "CALM_MEMORY_LIMIT");
    EXPECT_TRUE(fits_memory(100e6));
    EXPECT_FALSE(fits_memory(600e6));
  }
  {
    MemoryLimit limit("lots");
    try {
      memory_budget();
      FAIL() << "no error";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("CALM_MEMORY_LIMIT"), std::string::npos) << e.what();
    }
  }
  // Unset: the machine's own figure (MemAvailable or the cgroup), positive.
  const auto machine = memory_budget();
  ASSERT_TRUE(machine.has_value());
  EXPECT_GT(machine->bytes, 0);
  EXPECT_EQ(parse_memory_size("1.5K", "x"), 1536);
  EXPECT_THROW(parse_memory_size("-2G", "x"), InvalidArgument);
  EXPECT_THROW(parse_memory_size("2Q", "x"), InvalidArgument);
}

TEST(ResourceLimits, RfWithAbsurdTreesFailsBeforeFittingWithTheFitRowsThatFit) {
  MemoryLimit limit("64M");
  const Table data = numeric_table(2000, 5);
  GenerateOptions o;
  o.n_samples = 10;
  o.method = "rf";
  o.model_params = {{"n_estimators", 4096}};
  RealGenerator gen;
  const std::string m = error_of([&] { gen.generate(data, o); });
  EXPECT_NE(m.find("fitting 'rf' on 2000 rows x 5 columns needs about"), std::string::npos) << m;
  EXPECT_NE(m.find("n_estimators=4096 trees x rows x columns"), std::string::npos) << m;
  EXPECT_NE(m.find("CALM_MEMORY_LIMIT"), std::string::npos) << m;
  EXPECT_NE(m.find("or lower n_estimators"), std::string::npos) << m;
  EXPECT_FALSE(gen.is_fitted());
  // The advice's --fit-rows N is the most rows that fit: N passes the guard, N + 1 does not.
  const size_t at = m.find("--fit-rows ");
  ASSERT_NE(at, std::string::npos) << m;
  const size_t n = std::stoul(m.substr(at + 11));
  ASSERT_GE(n, 2u);
  ASSERT_LT(n, 2000u);
  const MethodInfo& rf = method_registry().get("rf");
  const Params params = rf.params.resolve(o.model_params, "rf");
  auto first = [&](size_t rows) {
    std::vector<int64_t> idx(rows);
    std::iota(idx.begin(), idx.end(), 0);
    return data.take_rows(idx);
  };
  EXPECT_NO_THROW(check_fit_memory(rf, first(n), params));
  EXPECT_THROW(check_fit_memory(rf, first(n + 1), params), DataError);
}

TEST(ResourceLimits, GmmComponentsTimesColumnsSquaredNamesNComponents) {
  MemoryLimit limit("64M");
  const Table data = numeric_table(50, 60);
  GenerateOptions o;
  o.n_samples = 10;
  o.method = "gmm";
  o.model_params = {{"n_components", 2000}};
  const std::string m = error_of([&] { RealGenerator().generate(data, o); });
  EXPECT_NE(m.find("n_components=2000 x columns^2"), std::string::npos) << m;
  EXPECT_NE(m.find("lower n_components"), std::string::npos) << m;
  // The same table with a sane n_components passes the guard.
  o.model_params = {{"n_components", 2}};
  const MethodInfo& gmm = method_registry().get("gmm");
  EXPECT_NO_THROW(check_fit_memory(gmm, data, gmm.params.resolve(o.model_params, "gmm")));
}

// The deep methods' estimate reads their layer lists: absurd layers fail before any training
// (the estimate is engine-side, so this holds in builds without libtorch too).
TEST(ResourceLimits, DeepLayersTooWideNameTheLayerParams) {
  MemoryLimit limit("1G");
  const Table data = numeric_table(200, 5);
  for (const char* method : {"ctgan", "tvae", "diffusion"}) {
    SCOPED_TRACE(method);
    const MethodInfo* declared = method_registry().find(method);
    ASSERT_NE(declared, nullptr);
    if (!declared->available) continue;  // built without libtorch: declared only
    const MethodInfo& info = *declared;
    const char* layers = std::string(method) == "tvae"        ? "compress_dims"
                         : std::string(method) == "diffusion" ? "mlp_dims"
                                                              : "generator_dim";
    const Params absurd = info.params.resolve({{layers, {200000, 200000}}}, method);
    const std::string m = error_of([&] { check_fit_memory(info, data, absurd); });
    EXPECT_NE(m.find(layers), std::string::npos) << m;
    EXPECT_NO_THROW(check_fit_memory(info, data, info.params.resolve(Json::object(), method)));
  }
}

// The sequence, single-cell and DP GAN methods estimate their networks too: a parameter inside
// its declared range can still ask for terabytes (timegan's 16 layers of 4096 in five networks,
// dgan's critic over a flattened 10^5-step sequence, pate_ctgan's teachers), and the guard names
// the parameter before any training. Their defaults on a small table pass.
TEST(ResourceLimits, NetworkParamsOfSequenceSingleCellAndDpGansAreGuarded) {
  MemoryLimit limit("1G");
  const Table data = numeric_table(200, 5);
  struct Case {
    const char* method;
    Json absurd;
    const char* named;
  };
  const std::vector<Case> cases = {
      {"par", {{"hidden_size", 4096}}, "hidden_size"},
      {"timegan", {{"hidden_dim", 4096}, {"num_layers", 16}}, "hidden_dim"},
      {"dgan", {{"seq_len", 100000}}, "seq_len"},
      {"scvi", {{"n_hidden", 100000}, {"n_layers", 3}}, "n_hidden"},
      {"scgen", {{"n_hidden", 100000}, {"n_layers", 3}}, "n_hidden"},
      {"dp", {{"synth_type", "dpctgan"}, {"generator_dim", {200000, 200000}}}, "generator_dim"},
      {"dp", {{"synth_type", "pate_ctgan"}, {"num_teachers", 100000}}, "num_teachers"},
  };
  const MethodInfo* ctgan = method_registry().find("ctgan");
  const bool deep_built = ctgan && ctgan->available;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.absurd.dump());
    const MethodInfo* info = method_registry().find(c.method);
    ASSERT_NE(info, nullptr);
    // Built without libtorch: the deep methods are declared only, and dp has no GAN params.
    if (!info->available || !deep_built) continue;
    const std::string m =
        error_of([&] { check_fit_memory(*info, data, info->params.resolve(c.absurd, c.method)); });
    EXPECT_NE(m.find("needs about"), std::string::npos) << m;
    EXPECT_NE(m.find(c.named), std::string::npos) << m;
    Json defaults = Json::object();
    if (c.absurd.contains("synth_type")) defaults["synth_type"] = c.absurd["synth_type"];
    EXPECT_NO_THROW(check_fit_memory(*info, data, info->params.resolve(defaults, c.method)));
  }
}

// The copulas hold a columns x columns correlation (and its factor): 10,000 columns need gigabytes
// whatever the rows, so the advice is fewer columns, not --fit-rows.
TEST(ResourceLimits, CopulaColumnsSquaredIsGuarded) {
  MemoryLimit limit("64M");
  const Table wide = numeric_table(30, 3000);
  for (const char* method : {"gaussian_copula", "copula_temporal"}) {
    SCOPED_TRACE(method);
    const MethodInfo& info = method_registry().get(method);
    const std::string m = error_of(
        [&] { check_fit_memory(info, wide, info.params.resolve(Json::object(), method)); });
    EXPECT_NE(m.find("columns^2"), std::string::npos) << m;
    EXPECT_NE(m.find("fewer columns"), std::string::npos) << m;
    EXPECT_EQ(m.find("--fit-rows"), std::string::npos) << m;
    EXPECT_NO_THROW(check_fit_memory(info, numeric_table(30, 100),
                                     info.params.resolve(Json::object(), method)));
  }
}

TEST(ResourceLimits, AnOutputTooBigForMemoryFailsBeforeFitting) {
  MemoryLimit limit("64M");
  GenerateOptions o;
  o.n_samples = 100000000;
  o.method = "cart";
  RealGenerator gen;
  const std::string m = error_of([&] { gen.generate(numeric_table(100, 3), o); });
  EXPECT_NE(m.find("holding 100000000 output rows x 3 columns in memory needs about 4.8 GB"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("n_samples"), std::string::npos) << m;
  EXPECT_FALSE(gen.is_fitted());
}

TEST(ResourceLimits, ACsvTooBigForTheBudgetFailsBeforeReading) {
  cli_test::TempDir dir;
  std::string csv = "a,b\n";
  for (int i = 0; i < 1000; ++i) csv += std::to_string(i) + "," + std::to_string(i * 2) + "\n";
  const std::string path = dir.file("big.csv", csv);
  {
    MemoryLimit limit("4K");
    const std::string m = error_of([&] { read_csv(path); });
    EXPECT_NE(m.find("reading '" + path + "'"), std::string::npos) << m;
    EXPECT_NE(m.find("twice the file's size"), std::string::npos) << m;
  }
  EXPECT_EQ(read_csv(path).num_rows(), 1000u);  // without the limit it reads
}

TEST(ResourceLimits, CliExitsTwoWithTheEstimateAndLeavesNothing) {
  cli_test::TempDir dir;
  std::string out;
  const int code = cli_test::run("generate " + cli_test::kPenguins + " -n 20 -m rf --param " +
                                     "n_estimators=4096 -q --seed 1 -o " + dir.path.string(),
                                 &out, "CALM_MEMORY_LIMIT=1M ");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--fit-rows"), std::string::npos) << out;
  EXPECT_NE(out.find("n_estimators=4096"), std::string::npos) << out;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path)) << out;
}

}  // namespace
}  // namespace calm
