// Model persistence end to end (docs/persistence.md): every registered method's fitted model
// survives save -> load with byte-identical samples for the same seed; post-processing runs the
// same on a loaded model; foreign, truncated, corrupt, missing and wrong-version files fail with
// errors that name the file; the CLI's generate --save-model / sample round trip.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "calm/calm.hpp"
#include "calm/core/archive.hpp"
#include "core/sequence_table.hpp"

namespace fs = std::filesystem;
using namespace calm;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("calm_persist_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

// Every cell, type, format and dictionary: equal bytes mean equal tables, NaN payloads included.
std::string table_bytes(const Table& t) {
  ArchiveWriter w;
  w.table(t);
  return w.take();
}

// 120 rows: a float with missing cells, an integer, a datetime, a category, a boolean and a
// two-class target (40/80, so SMOTE and ADASYN have a minority to oversample).
Table mixed_table() {
  const size_t n = 120;
  std::vector<double> x(n);
  std::vector<int64_t> count(n), when(n);
  std::vector<int32_t> colour(n), label(n);
  std::vector<uint8_t> flag(n);
  for (size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>((i * 37) % 101) / 101.0;
    label[i] = i % 3 == 0 ? 1 : 0;
    x[i] = i % 17 == 5 ? std::nan("") : std::round((10 * u + 5 * label[i]) * 100) / 100;
    count[i] = static_cast<int64_t>((i * 7) % 23) + 3 * label[i];
    when[i] =
        1'600'000'000'000'000'000LL + static_cast<int64_t>((i * 13) % 50) * 86'400'000'000'000LL;
    colour[i] = static_cast<int32_t>((i * 5 + label[i]) % 3);
    flag[i] = (i * 11) % 4 == 0;
  }
  Column c_when = Column::datetime("when", when);
  c_when.format.date_only = true;
  Column c_x = Column::float64("x", x);
  c_x.format.decimals = 2;
  return Table({c_x, Column::int64("count", count), c_when,
                Column::categorical("colour", colour, {"red", "green", "blue"}),
                Column::boolean("flag", flag), Column::categorical("label", label, {"no", "yes"})});
}

GeneratorSettings quiet_settings(uint64_t seed) {
  GeneratorSettings s;
  s.random_state = seed;
  s.auto_report = false;
  s.threads = 2;
  s.logger = std::make_shared<Logger>();
  s.logger->set_level(LogLevel::quiet);
  return s;
}

GenerateOptions options_for(const MethodInfo& m, int64_t n) {
  GenerateOptions o;
  o.n_samples = n;
  o.method = m.name;
  o.target_col = "label";
  o.model_params = Json::object();
  // Deep models: two epochs and small batches are enough to check that the weights survive the
  // round trip (batch_size a multiple of ctgan's pac of 10).
  if (m.params.find("epochs")) o.model_params["epochs"] = 2;
  if (m.params.find("batch_size")) o.model_params["batch_size"] = 60;
  if (m.params.find("diffusion_steps")) o.model_params["diffusion_steps"] = 5;
  // Single-cell methods: the count column is the (one) gene; scgen's conditions are the colours.
  if (m.params.find("gene_columns")) o.model_params["gene_columns"] = {"count"};
  if (m.params.find("condition_col")) o.model_params["condition_col"] = "colour";
  // Sequence methods: the colours as entities, each ordered by date.
  if (m.params.find("sequence_key")) {
    o.model_params["sequence_key"] = "colour";
    o.model_params["time_col"] = "when";
  }
  // dp's default synth_type (pate_ctgan, as the seed) needs libtorch; without it, mst.
  const MethodInfo* ctgan = method_registry().find("ctgan");
  if (m.name == "dp" && !(ctgan && ctgan->available)) o.model_params["synth_type"] = "mst";
  // DP methods: a few hundred rows cannot pay for private ranges; public ones are given.
  if (m.params.find("bounds"))
    o.model_params["bounds"] = {
        {"x", {0, 20}}, {"count", {0, 30}}, {"when", {"2020-09-01", "2021-01-01"}}};
  return o;
}

}  // namespace

TEST(Persistence, EveryMethodSamplesIdenticallyAfterSaveAndLoad) {
  TempDir dir;
  const Table data = mixed_table();
  std::vector<std::string> checked;
  for (const MethodInfo& m : method_registry().all()) {
    if (!m.available) continue;
    SCOPED_TRACE(m.name);
    const GenerateOptions o = options_for(m, 60);
    RealGenerator fitted(quiet_settings(11));
    fitted.generate(data, o);
    const std::string path = dir.file(m.name + ".calm");
    try {
      fitted.save(path);
    } catch (const NotAvailable& e) {
      ADD_FAILURE() << m.name << " cannot be saved: " << e.what();
      continue;
    }
    RealGenerator loaded = RealGenerator::load(path, quiet_settings(11));
    EXPECT_EQ(loaded.fitted_method(), m.name);
    GenerateOptions again;
    again.n_samples = 60;
    const Table a = fitted.sample(again), b = loaded.sample(again);
    // par counts entities (as SDV's PAR); every other method rows.
    if (m.family == kSequenceFamily && !m.params.find("sample_unit")) {
      ASSERT_EQ(entity_runs(a.column("colour")).size() - 1, 60u);
    } else {
      ASSERT_EQ(a.num_rows(), 60u);
    }
    EXPECT_EQ(a.column_names(), data.column_names());
    EXPECT_EQ(table_bytes(a), table_bytes(b)) << m.name << ": loaded model samples differently";
    // A different seed must give a different sample, or the comparison above proves nothing.
    RealGenerator other = RealGenerator::load(path, quiet_settings(12));
    EXPECT_NE(table_bytes(other.sample(again)), table_bytes(a)) << m.name;
    checked.push_back(m.name);
  }
  std::cout << "round trip checked: " << join_names(checked) << "\n";
  EXPECT_FALSE(checked.empty());
}

TEST(Persistence, LoadedModelReproducesTheOriginalRunForTheSameSeed) {
  TempDir dir;
  const Table data = mixed_table();
  GenerateOptions o;
  o.n_samples = 200;
  o.method = "resample";
  o.target_col = "label";
  RealGenerator g(quiet_settings(5));
  const Table first = g.generate(data, o);
  g.save(dir.file("m.calm"));
  RealGenerator loaded = RealGenerator::load(dir.file("m.calm"), quiet_settings(5));
  GenerateOptions s;
  s.n_samples = 200;
  EXPECT_EQ(table_bytes(loaded.sample(s)), table_bytes(first));
  // Loading again gives the same model: saving it reproduces the file byte for byte.
  loaded.save(dir.file("again.calm"));
  EXPECT_EQ(slurp(dir.file("m.calm")), slurp(dir.file("again.calm")));
}

TEST(Persistence, PostProcessingRunsOnALoadedModel) {
  TempDir dir;
  const Table data = mixed_table();
  GenerateOptions o;
  o.n_samples = 50;
  o.method = "resample";
  o.target_col = "label";
  RealGenerator g(quiet_settings(3));
  g.generate(data, o);
  g.save(dir.file("m.calm"));
  RealGenerator loaded = RealGenerator::load(dir.file("m.calm"), quiet_settings(3));

  GenerateOptions s;
  s.n_samples = 400;
  s.custom_distributions = Json::parse(R"({"label": {"yes": 0.75, "no": 0.25}})");
  s.constraints = Json::parse(R"([{"type": "positive", "col": "count", "strict": true}])");
  s.date_start = "2024-01-01";
  s.output_dir = dir.file("out");
  s.save_dataset = true;
  const GenerateResult a = g.run_fitted(s), b = loaded.run_fitted(s);
  EXPECT_EQ(table_bytes(a.synthetic), table_bytes(b.synthetic));
  const Column& label = b.synthetic.column("label");
  size_t yes = 0;
  for (int32_t c : label.codes) yes += label.dict[c] == "yes";
  EXPECT_EQ(yes, 300u);  // custom_distributions is met exactly
  for (size_t i = 0; i < b.synthetic.num_rows(); ++i)
    EXPECT_GT(b.synthetic.column("count").i64[i], 0);
  EXPECT_TRUE(b.synthetic.has("timestamp"));
  // Without the real table only the dataset is written (reports are skipped).
  ASSERT_EQ(b.files.size(), 1u);
  EXPECT_TRUE(fs::exists(b.files[0]));

  // The model's own errors: values it never saw, a different method or target, constraints that
  // need the real rows, a continuous column's shares.
  GenerateOptions bad;
  bad.n_samples = 10;
  bad.custom_distributions = Json::parse(R"({"colour": {"purple": 1.0}})");
  EXPECT_THROW(loaded.sample(bad), InvalidArgument);
  bad = GenerateOptions{};
  bad.n_samples = 10;
  bad.method = "gaussian_copula";
  EXPECT_THROW(loaded.sample(bad), InvalidArgument);
  bad.method = "resample";
  bad.target_col = "colour";
  EXPECT_THROW(loaded.sample(bad), InvalidArgument);
  bad.target_col.reset();
  bad.constraints =
      Json::parse(R"([{"type": "fixed_combinations", "columns": ["colour", "flag"]}])");
  EXPECT_THROW(loaded.sample(bad), InvalidArgument);
  EXPECT_NO_THROW(loaded.sample(bad, &data));  // with the real table it is fine
  bad.constraints = Json();
  bad.custom_distributions = Json::parse(R"({"x": {"1.5": 1.0}})");
  EXPECT_THROW(loaded.sample(bad), InvalidArgument);
}

TEST(Persistence, BadFilesFailWithErrorsNamingTheFile) {
  TempDir dir;
  const Table data = mixed_table();
  GenerateOptions o;
  o.n_samples = 20;
  o.method = "resample";
  RealGenerator g(quiet_settings(1));
  EXPECT_THROW(g.save(dir.file("nothing.calm")), InvalidArgument);  // nothing fitted yet
  g.generate(data, o);
  const std::string good = dir.file("good.calm");
  g.save(good);
  const std::string bytes = slurp(good);
  ASSERT_EQ(bytes.substr(0, 8), "CALMMODL");

  auto expect_data_error = [&](const std::string& name, const std::string& contents,
                               const std::string& phrase) {
    const std::string path = dir.file(name);
    spit(path, contents);
    try {
      RealGenerator::load(path);
      ADD_FAILURE() << name << " loaded";
    } catch (const DataError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(path), std::string::npos) << name << ": " << msg;
      EXPECT_NE(msg.find(phrase), std::string::npos) << name << ": " << msg;
    }
  };
  expect_data_error("table.csv", "a,b\n1,2\n", "not a calm model file");
  expect_data_error("empty.calm", "", "not a calm model file");
  expect_data_error("half.calm", bytes.substr(0, bytes.size() / 2), "corrupt");
  expect_data_error("short.calm", bytes.substr(0, bytes.size() - 1), "corrupt");
  std::string versioned = bytes;
  versioned[9] = 99;  // the format version: magic (8 bytes), field kind (1), then the u64
  expect_data_error("version.calm", versioned, "format version 99");
  std::string renamed = bytes;
  const size_t at = renamed.find("resample-v1");
  ASSERT_NE(at, std::string::npos);
  renamed[at] = 'X';
  expect_data_error("tag.calm", renamed, "corrupt");
  expect_data_error("trailing.calm", bytes + "x", "trailing");

  try {
    RealGenerator::load(dir.file("missing.calm"));
    ADD_FAILURE() << "a missing file loaded";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.calm' does not exist"), std::string::npos);
  }
  // Atomic write: no temporary files are left next to the model.
  for (const auto& entry : fs::directory_iterator(dir.path))
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
}

namespace {

int run_cli(const std::string& args, std::string* output = nullptr) {
  const std::string log =
      (fs::temp_directory_path() / ("calm_persist_out_" + std::to_string(::getpid()))).string();
  const int status =
      std::system((std::string(CALM_CLI_PATH) + " " + args + " >" + log + " 2>&1").c_str());
  if (output) *output = slurp(log);
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(Persistence, CliSaveModelThenSampleReproducesTheRun) {
  TempDir dir;
  const std::string penguins = std::string(CALM_SOURCE_DIR) + "/examples/penguins.csv";
  const std::string model = dir.file("m.calm");
  std::string out;
  ASSERT_EQ(
      run_cli("generate " + penguins + " -n 300 -m gaussian_copula --target species -q " +
                  "--no-report --seed 4 --name a --save-model " + model + " -o " + dir.file("a"),
              &out),
      0)
      << out;
  ASSERT_TRUE(fs::exists(model));
  ASSERT_EQ(run_cli("sample " + model + " -n 300 --seed 4 -q --name b -o " + dir.file("b"), &out),
            0)
      << out;
  const std::string a = slurp(dir.file("a") + "/a_synthetic.csv");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, slurp(dir.file("b") + "/b_synthetic.csv"));

  // Post-processing options from a config file.
  spit(dir.file("run.json"), R"({"custom_distributions": {"species": "balanced"}})");
  ASSERT_EQ(run_cli("sample " + model + " -n 90 --seed 4 -q --name c --config " +
                        dir.file("run.json") + " -o " + dir.file("c"),
                    &out),
            0)
      << out;
  const Table c = read_csv(dir.file("c") + "/c_synthetic.csv");
  ASSERT_EQ(c.num_rows(), 90u);
  std::map<std::string, int> per_species;
  for (size_t i = 0; i < c.num_rows(); ++i) ++per_species[c.column("species").text(i)];
  for (const auto& [species, k] : per_species) EXPECT_EQ(k, 30) << species;

  // User errors exit with 2 and say what is wrong.
  spit(dir.file("not_a_model.calm"), "a,b\n1,2\n");
  struct Case {
    std::string args, expect;
  };
  for (const Case& c : std::vector<Case>{
           {"sample " + dir.file("missing.calm") + " -n 5", "does not exist"},
           {"sample " + dir.file("not_a_model.calm") + " -n 5", "not a calm model file"},
           {"sample " + model + " -n 0", "n_samples"},
           {"sample " + model, "-n"},
           {"sample " + model + " -n 5 --config " + dir.file("missing.json"), "missing.json"},
       }) {
    EXPECT_EQ(run_cli(c.args + " -o " + dir.file("bad"), &out), 2) << c.args << ": " << out;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.args << ": " << out;
  }
}
