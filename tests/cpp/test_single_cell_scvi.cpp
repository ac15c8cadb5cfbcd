// scvi and scgen (libtorch builds; skipped where the deep methods are not built): counts whole
// and >= 0, sparsity near the real on pbmc_small, cell-type shares kept with target_col,
// metadata that agrees with the generated cells, determinism under the seed for any thread
// count, save/load round trips, scgen's latent arithmetic moving the named type, and clear
// errors for non-count, negative and mislabelled input; the cells path (CellTable in and out: the
// table view's cells for the same seed, .h5ad written sparse with obs kept, errors for row-only
// options). Small networks and few epochs: these
// check the machinery; quality is measured in bench/peers/scvi_tools.py (BENCHMARKS.md).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include "calm/api/cell_generator.hpp"
#include "calm/calm.hpp"
#include "calm/eval/single_cell_metrics.hpp"
#include "calm/io/anndata.hpp"
#include "calm/io/table_sink.hpp"
#include "cli_test_support.hpp"
#include "models/deep/single_cell_data.hpp"
#include "models/deep/zinb_kernel.hpp"

using namespace calm;
using calm::cli_test::run;
using calm::cli_test::slurp;
using calm::cli_test::TempDir;

namespace {

const Logger& quiet() {
  static Logger log(LogLevel::quiet, nullptr);
  return log;
}

bool deep_built() {
  const MethodInfo* m = method_registry().find("scvi");
  return m && m->available;
}

std::unique_ptr<Synthesizer> fit(const std::string& method, const Table& data, const Json& params,
                                 std::optional<std::string> target = std::nullopt,
                                 uint64_t seed = 3, int threads = 1) {
  const MethodInfo& m = method_registry().get(method);
  const Schema schema = infer_schema(data);
  auto s = m.create();
  FitContext ctx{schema, target, m.params.resolve(params, method), seed, threads, quiet()};
  s->fit(data, ctx);
  return s;
}

Table draw(const Synthesizer& s, size_t n, uint64_t seed, int threads = 1) {
  SampleContext ctx{seed, threads, quiet(), nullptr};
  return s.sample(n, ctx);
}

Table pbmc() {
  return read_table(std::string(CALM_DATASETS_DIR) + "/pbmc_small.h5ad", SourceOptions{});
}

const Json kSmall = {{"epochs", 30},     {"n_hidden", 32},         {"n_latent", 5},
                     {"batch_size", 32}, {"kl_warmup_epochs", 10}, {"early_stopping", false}};

size_t gene_count(const Table& t) {
  size_t g = 0;
  for (size_t c = 0; c < t.num_columns(); ++c) g += t.column(c).type == StorageType::int64;
  return g;
}

double zero_share(const Table& t) {
  size_t zeros = 0, cells = 0;
  for (size_t c = 0; c < t.num_columns(); ++c)
    if (t.column(c).type == StorageType::int64)
      for (int64_t v : t.column(c).i64) {
        zeros += v == 0;
        ++cells;
      }
  return static_cast<double>(zeros) / static_cast<double>(cells);
}

std::map<std::string, double> shares(const Column& c) {
  std::map<std::string, double> s;
  for (size_t i = 0; i < c.size(); ++i) s[c.text(i)] += 1.0 / static_cast<double>(c.size());
  return s;
}

void expect_identical(const Table& a, const Table& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.column_names(), b.column_names());
  for (size_t c = 0; c < a.num_columns(); ++c)
    for (size_t i = 0; i < a.num_rows(); ++i)
      ASSERT_EQ(a.column(c).text(i), b.column(c).text(i)) << a.column(c).name << " row " << i;
}

// Two cell types x two conditions, 30 genes of NB (gamma-Poisson) counts; condition "stim"
// multiplies genes 0-4 by 6 in every type, type "B" has its own program on genes 5-14.
Table perturbation_table(size_t n = 400) {
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> u(0, 1);
  const size_t G = 30;
  std::vector<std::vector<int64_t>> genes(G, std::vector<int64_t>(n));
  std::vector<int32_t> type(n), cond(n);
  for (size_t i = 0; i < n; ++i) {
    type[i] = u(gen) < 0.4;
    cond[i] = u(gen) < 0.5;
    const double lib = std::exp(std::log(300.0) + 0.3 * std::normal_distribution<>(0, 1)(gen));
    for (size_t g = 0; g < G; ++g) {
      double w = 1.0 / G;
      if (type[i] == 1 && g >= 5 && g < 15) w *= 4;
      if (cond[i] == 1 && g < 5) w *= 6;
      std::gamma_distribution<double> gam(2.0, lib * w / 2.0);
      genes[g][i] = std::poisson_distribution<int64_t>(gam(gen))(gen);
    }
  }
  std::vector<Column> cols;
  for (size_t g = 0; g < G; ++g) {
    std::string name = "g";
    name += std::to_string(g);
    cols.push_back(Column::int64(name, genes[g]));
  }
  cols.push_back(Column::categorical("cell_type", type, {"A", "B"}));
  cols.push_back(Column::categorical("condition", cond, {"ctrl", "stim"}));
  return Table(std::move(cols));
}

double mean_of(const Table& t, const std::string& gene, const std::string& type,
               const std::string& cond) {
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < t.num_rows(); ++i)
    if (t.column("cell_type").text(i) == type && t.column("condition").text(i) == cond) {
      sum += t.column(gene).numeric(i);
      ++k;
    }
  return k ? sum / static_cast<double>(k) : NAN;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

CellTable as_cells(const Table& t) {
  CellTable c;
  for (const auto& name : t.column_names())
    if (t.column(name).type == StorageType::int64) c.genes.push_back(name);
  c.x = gene_matrix(t, c.genes);
  c.integer_genes = true;
  c.obs = t.select({"cell_type", "condition"});
  return c;
}

std::unique_ptr<Synthesizer> fit_either(const std::string& method, const Json& params,
                                        const Table& schema_of, const CellTable* cells,
                                        const Table* table) {
  const MethodInfo& m = method_registry().get(method);
  const Schema schema = infer_schema(schema_of);
  auto s = m.create();
  FitContext ctx{schema, std::string("cell_type"), m.params.resolve(params, method), 7, 1, quiet()};
  if (cells)
    s->fit_cells(*cells, ctx);
  else
    s->fit(*table, ctx);
  return s;
}

// generate_cells' settings and options for the tests: seed 1, no log; scvi with kSmall.
GeneratorSettings quiet_settings() {
  GeneratorSettings settings;
  settings.random_state = 1;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return settings;
}

GenerateOptions scvi_run(int64_t cells) {
  GenerateOptions o;
  o.n_samples = cells;
  o.method = "scvi";
  o.model_params = kSmall;
  return o;
}

class Scvi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!deep_built()) GTEST_SKIP() << "calm was built without libtorch";
  }
};
class Scgen : public Scvi {};
// The cells path (api/cell_generator.hpp): CellTable in and out, never a dense table.
class CellsPath : public Scvi {};

}  // namespace

TEST_F(Scvi, CountsAreWholeNonNegativeAndSparsityIsNearTheReal) {
  const Table real = pbmc();
  auto s = fit("scvi", real, kSmall, "cell_type");
  const Table synth = draw(*s, 300, 1);
  ASSERT_EQ(synth.num_rows(), 300u);
  ASSERT_EQ(synth.column_names(), real.column_names());
  EXPECT_EQ(gene_count(synth), gene_count(real));
  for (size_t c = 0; c < synth.num_columns(); ++c) {
    EXPECT_EQ(synth.column(c).type, real.column(c).type) << real.column(c).name;
    if (synth.column(c).type == StorageType::int64) {
      for (int64_t v : synth.column(c).i64) ASSERT_GE(v, 0) << synth.column(c).name;
    }
  }
  EXPECT_NEAR(zero_share(synth), zero_share(real), 0.05);
}

TEST_F(Scvi, TypeSharesAndMetadataFollowTheCellTypes) {
  const Table real = pbmc();
  auto s = fit("scvi", real, kSmall, "cell_type");
  const Table synth = draw(*s, 2000, 2);
  const auto want = shares(real.column("cell_type")), got = shares(synth.column("cell_type"));
  for (const auto& [label, share] : want) EXPECT_NEAR(got.at(label), share, 0.04) << label;
  // Metadata come from real cells of the same type: each (cell_type, group) pair is a real one.
  std::map<std::string, bool> pairs;
  for (size_t i = 0; i < real.num_rows(); ++i)
    pairs[real.column("cell_type").text(i) + "|" + real.column("group").text(i)] = true;
  for (size_t i = 0; i < synth.num_rows(); ++i)
    ASSERT_TRUE(
        pairs.count(synth.column("cell_type").text(i) + "|" + synth.column("group").text(i)));
}

TEST_F(Scvi, TypeSpecificExpressionIsKept) {
  const Table real = perturbation_table();
  auto s =
      fit("scvi", real, {{"epochs", 60}, {"n_hidden", 32}, {"kl_warmup_epochs", 10}}, "cell_type");
  const Table synth = draw(*s, 800, 4);
  // Type B's program (genes 5-14) is ~4x type A's in the real cells and must stay higher.
  double a = 0, b = 0;
  for (const char* cond : {"ctrl", "stim"}) {
    a += mean_of(synth, "g7", "A", cond);
    b += mean_of(synth, "g7", "B", cond);
  }
  EXPECT_GT(b, 2 * a);
}

TEST_F(Scvi, DeterministicUnderTheSeedForAnyThreadCount) {
  const Table real = pbmc();
  auto a = fit("scvi", real, kSmall, "cell_type", 9, 1);
  auto b = fit("scvi", real, kSmall, "cell_type", 9, 2);
  expect_identical(draw(*a, 150, 4, 1), draw(*b, 150, 4, 2));
  // The same from separate processes at the default width (128 hidden units): torch's own
  // BatchNorm splits the cells between threads (the output differed with --threads before the
  // network had its own), and so does torch's bias gradient of a wide layer.
  TempDir dir;
  const std::string base = "generate " + std::string(CALM_DATASETS_DIR) +
                           "/pbmc_small.h5ad -m scvi -n 200 --target cell_type -q --seed 3 "
                           "--param epochs=3 --param early_stopping=false -o " +
                           dir.path.string();
  // The fitted weights, byte for byte (sampled counts can hide a small difference).
  ASSERT_EQ(run(base + "/one.csv --threads 1 --save-model " + dir.path.string() + "/one.calm"), 0);
  ASSERT_EQ(run(base + "/two.csv --threads 2 --save-model " + dir.path.string() + "/two.calm"), 0);
  EXPECT_EQ(slurp(dir.path / "one.csv"), slurp(dir.path / "two.csv"));
  EXPECT_TRUE(slurp(dir.path / "one.calm") == slurp(dir.path / "two.calm"));
  const Table x = draw(*a, 150, 4), y = draw(*a, 150, 5);
  size_t differ = 0;
  for (size_t i = 0; i < 150; ++i) differ += x.column(0).text(i) != y.column(0).text(i);
  EXPECT_GT(differ, 0u);
}

TEST_F(Scvi, SaveLoadRoundTrip) {
  for (const Json& params : {kSmall, Json{{"epochs", 5},
                                          {"latent_sampling", "prior"},
                                          {"gene_likelihood", "nb"},
                                          {"batch_key", "group"}}}) {
    auto s = fit("scvi", pbmc(), params, "cell_type");
    ArchiveWriter w;
    s->save(w);
    auto loaded = method_registry().get("scvi").create();
    ArchiveReader r(w.data(), "model");
    loaded->load(r);
    expect_identical(draw(*s, 100, 7), draw(*loaded, 100, 7));
  }
}

TEST_F(Scvi, NonCountInputIsRefusedNamingTheOption) {
  Table real = pbmc();
  std::vector<Column> cols;
  for (size_t c = 0; c < real.num_columns(); ++c) {
    Column col = real.column(c);
    if (col.type == StorageType::int64) {
      std::vector<double> v;
      for (int64_t x : col.i64) v.push_back(std::log1p(static_cast<double>(x)));
      col = Column::float64(col.name, v);
    }
    cols.push_back(col);
  }
  const Table lognorm(cols);
  const std::string e = error_of([&] { fit("scvi", lognorm, kSmall); });
  EXPECT_NE(e.find("not whole numbers"), std::string::npos) << e;
  EXPECT_NE(e.find("gene_likelihood"), std::string::npos) << e;
  EXPECT_THROW(fit("scvi", lognorm, kSmall), DataError);
  // The Gaussian likelihood models them, and gives values >= 0 back.
  Json normal = kSmall;
  normal["gene_likelihood"] = "normal";
  auto s = fit("scvi", lognorm, normal, "cell_type");
  const Table synth = draw(*s, 50, 1);
  for (double v : synth.column(0).f64) EXPECT_GE(v, 0);
  // Negative values: refused for count likelihoods.
  cols[0] = Column::float64(cols[0].name, std::vector<double>(real.num_rows(), -1.0));
  const std::string neg = error_of([&] { fit("scvi", Table(cols), kSmall); });
  EXPECT_NE(neg.find("negative"), std::string::npos) << neg;
}

TEST_F(Scvi, BadLabelsAndEmptyCellsAreClearErrors) {
  const Table real = pbmc();
  const std::string e = error_of([&] { fit("scvi", real, kSmall, "no_such_column"); });
  EXPECT_NE(e.find("'no_such_column' is not in the data"), std::string::npos) << e;
  Json bad = kSmall;
  bad["batch_key"] = "nope";
  EXPECT_THROW(fit("scvi", real, bad), DataError);
  // Every cell empty: nothing to learn.
  std::vector<Column> zero{Column::int64("g1", {0, 0, 0}), Column::int64("g2", {0, 0, 0})};
  EXPECT_THROW(fit("scvi", Table(zero), kSmall), DataError);
  // Some empty cells: left out of training, the rest fits.
  std::vector<Column> some{Column::int64("g1", {0, 3, 1, 0, 2}),
                           Column::int64("g2", {0, 1, 4, 2, 0})};
  auto s = fit("scvi", Table(some), kSmall);
  EXPECT_EQ(draw(*s, 10, 1).num_rows(), 10u);
}

TEST_F(Scgen, PredictMovesTheNamedTypeTowardsTheCondition) {
  const Table real = perturbation_table(600);
  Json p = {{"epochs", 60},
            {"n_hidden", 128},
            {"n_layers", 1},
            {"condition_col", "condition"},
            {"early_stopping", false}};
  // The same seed trains the same network; predict only changes what is sampled.
  const Table plain = draw(*fit("scgen", real, p, "cell_type"), 1500, 1);
  p["predict_cell_type"] = "B";
  p["predict_from"] = "ctrl";
  p["predict_to"] = "stim";
  const Table pred = draw(*fit("scgen", real, p, "cell_type"), 300, 1);
  for (size_t i = 0; i < pred.num_rows(); ++i) {
    ASSERT_EQ(pred.column("cell_type").text(i), "B");
    ASSERT_EQ(pred.column("condition").text(i), "stim");
  }
  for (size_t c = 0; c < 30; ++c) {
    for (int64_t v : pred.column(c).i64) ASSERT_GE(v, 0);
  }
  // Genes 0-4 are 6x higher under stim: the B/ctrl cells moved by delta rise well above the
  // model's own B/ctrl cells; gene 20 (no response) stays about where it was.
  const double ctrl0 = mean_of(plain, "g0", "B", "ctrl"), pred0 = mean_of(pred, "g0", "B", "stim");
  EXPECT_GT(pred0, 2.5 * ctrl0) << ctrl0 << " -> " << pred0;
  const double ctrl20 = mean_of(plain, "g20", "B", "ctrl");
  const double pred20 = mean_of(pred, "g20", "B", "stim");
  EXPECT_LT(std::abs(std::log(pred20 / ctrl20)), std::log(1.6)) << ctrl20 << " -> " << pred20;
}

TEST_F(Scgen, SaveLoadAndFallbackToScvi) {
  const Table real = perturbation_table(200);
  Json p = {{"epochs", 5}, {"n_hidden", 32}, {"condition_col", "condition"}};
  for (int fallback = 0; fallback < 2; ++fallback) {
    if (fallback) p.erase("condition_col");
    auto s = fit("scgen", real, p, "cell_type");
    ArchiveWriter w;
    s->save(w);
    auto loaded = method_registry().get("scgen").create();
    ArchiveReader r(w.data(), "model");
    loaded->load(r);
    expect_identical(draw(*s, 60, 7), draw(*loaded, 60, 7));
  }
  Json bad = {{"epochs", 2},
              {"condition_col", "condition"},
              {"predict_cell_type", "Z"},
              {"predict_from", "ctrl"},
              {"predict_to", "stim"}};
  const std::string e = error_of([&] { fit("scgen", real, bad, "cell_type"); });
  EXPECT_NE(e.find("is not a value of 'cell_type'"), std::string::npos) << e;
  bad.erase("predict_to");
  EXPECT_THROW(fit("scgen", real, bad, "cell_type"), InvalidArgument);
}

// The matrix path and the table view learn and draw the same cells: same seed, same counts and
// metadata, cell for cell; the matrix output is valid CSR with only non-zero counts stored.
TEST_F(CellsPath, ScviAndScgenGiveTheTableViewsCells) {
  const Table t = perturbation_table(240);
  const CellTable cells = as_cells(t);
  Json scgen = kSmall;
  scgen["condition_col"] = "condition";
  Json predict = scgen;
  predict["predict_cell_type"] = "B";
  predict["predict_from"] = "ctrl";
  predict["predict_to"] = "stim";
  for (const auto& [method, params] : std::vector<std::pair<std::string, Json>>{
           {"scvi", kSmall}, {"scgen", scgen}, {"scgen", predict}}) {
    SCOPED_TRACE(method + " " + params.dump());
    const auto from_table = fit_either(method, params, t, nullptr, &t);
    const auto from_cells = fit_either(method, params, cells.obs, &cells, nullptr);
    const SampleContext ctx{9, 1, quiet(), nullptr};
    const Table a = from_table->sample(150, ctx);
    const CellTable b = from_cells->sample_cells(150, ctx);
    b.check();
    EXPECT_EQ(b.genes, cells.genes);
    EXPECT_TRUE(b.integer_genes);
    for (float v : b.x.data) ASSERT_TRUE(v > 0 && v == std::floor(v)) << v;
    expect_identical(a, b.rows(0, b.cells()));
  }
}

// A matrix whose arrays belong to the caller (Python's X) is read in place: the methods' matrix
// is the caller's memory, not a copy, and the run gives the cells an owned copy gives. With a
// cell of zero counts, the cells with counts are copied (and only then).
TEST_F(CellsPath, ABorrowedMatrixIsReadInPlace) {
  const Table t = perturbation_table(240);
  const CellTable owned = as_cells(t);
  CellTable borrowed;
  borrowed.genes = owned.genes;
  borrowed.obs = owned.obs;
  borrowed.borrowed = CsrView(owned.x);
  borrowed.check();
  EXPECT_EQ(borrowed.cells(), owned.cells());

  const CellMatrix m = cell_matrix(borrowed.matrix(), "scvi");
  EXPECT_EQ(m.x.data, owned.x.data.data());
  EXPECT_EQ(m.x.indices, owned.x.indices.data());
  EXPECT_EQ(m.owned.nnz(), 0u);
  CellMatrix built =
      cell_matrix(t, SingleCellLayout::of(t, {}, {}, {"cell_type", "condition"}, "scvi"), "scvi");
  const CellMatrix moved = std::move(built);
  EXPECT_EQ(moved.x.data, moved.owned.data.data());  // a moved matrix still reads its own arrays
  EXPECT_EQ(moved.x.nnz(), owned.x.nnz());

  GenerateOptions o;
  o.n_samples = 100;
  o.method = "scvi";
  o.target_col = "cell_type";
  o.model_params = kSmall;
  GeneratorSettings settings;
  settings.random_state = 5;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  const CellRunResult a = generate_cells(owned, o, settings);
  const CellRunResult b = generate_cells(borrowed, o, settings);
  EXPECT_EQ(a.synthetic.x.data, b.synthetic.x.data);
  EXPECT_EQ(a.synthetic.x.indices, b.synthetic.x.indices);
  EXPECT_EQ(a.synthetic.x.indptr, b.synthetic.x.indptr);

  // One cell without counts: trained on the others, from a copy of them.
  CsrMatrix with_empty = owned.x;
  const auto first = static_cast<size_t>(with_empty.indptr[1]);
  with_empty.indices.erase(with_empty.indices.begin(),
                           with_empty.indices.begin() + static_cast<std::ptrdiff_t>(first));
  with_empty.data.erase(with_empty.data.begin(),
                        with_empty.data.begin() + static_cast<std::ptrdiff_t>(first));
  for (size_t r = 1; r < with_empty.indptr.size(); ++r)
    with_empty.indptr[r] -= static_cast<int64_t>(first);
  borrowed.borrowed = CsrView(with_empty);
  const CellRunResult c = generate_cells(borrowed, o, settings);
  EXPECT_EQ(c.synthetic.cells(), 100u);
  EXPECT_EQ(with_empty.indptr[1], 0);  // the caller's arrays are as they were
}

// From an .h5ad file to an .h5ad file through generate_cells: X stays sparse, a numeric obs column
// stays obs (the table view would have taken it for a gene), var names and obs columns as the
// input's, the reports written with the single-cell metrics.
TEST_F(CellsPath, AnAnnDataFileComesBackWithItsLayout) {
  const Table t = perturbation_table(240);
  AnnData a;
  CellTable cells = as_cells(t);
  std::vector<double> depth(cells.cells());
  for (size_t i = 0; i < cells.cells(); ++i)
    for (auto k = cells.x.indptr[i]; k < cells.x.indptr[i + 1]; ++k)
      depth[i] += cells.x.data[static_cast<size_t>(k)];
  std::vector<Column> obs{cells.obs.column("cell_type"), cells.obs.column("condition"),
                          Column::float64("n_counts", depth)};
  cells.obs = Table(std::move(obs));
  const auto dir = std::filesystem::temp_directory_path() / "calm_cells_path";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string in = (dir / "cells.h5ad").string(), out = (dir / "synthetic.h5ad").string();
  write_h5ad(in, cells_anndata(cells));

  const CellTable real = anndata_cells(read_h5ad(in));
  EXPECT_EQ(real.obs.column_names(),
            (std::vector<std::string>{"cell_type", "condition", "n_counts"}));
  GenerateOptions o;
  o.n_samples = 120;
  o.method = "scvi";
  o.target_col = "cell_type";
  o.model_params = kSmall;
  o.output_dir = (dir / "reports").string();
  GeneratorSettings settings;
  settings.random_state = 4;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  settings.minimal_report = true;
  const CellRunResult r = generate_cells(real, o, settings);
  EXPECT_EQ(r.synthetic.cells(), 120u);
  EXPECT_FALSE(r.files.empty());
  auto sink = open_sink(out, SinkOptions{});
  write_cells(*sink, r.synthetic);
  sink->commit();
  const AnnData back = read_h5ad(out);
  EXPECT_EQ(back.var_names, real.genes);
  EXPECT_EQ(back.obs.column_names(), real.obs.column_names());
  EXPECT_EQ(back.obs.column("n_counts").type, StorageType::float64);
  EXPECT_EQ(back.x.rows, 120u);
  EXPECT_TRUE(back.x.holds_counts());
  // Same seed, same file contents.
  const CellRunResult again = generate_cells(real, o, settings);
  EXPECT_EQ(again.synthetic.x.data, r.synthetic.x.data);
  EXPECT_EQ(again.synthetic.x.indices, r.synthetic.x.indices);
  std::filesystem::remove_all(dir);
}

TEST_F(CellsPath, WhatOnlyTableRowsHaveIsAClearError) {
  const CellTable cells = as_cells(perturbation_table(240));
  const GeneratorSettings settings = quiet_settings();
  GenerateOptions o = scvi_run(10);
  o.constraints = Json::array({{{"type", "range"}, {"column", "g0"}, {"low", 0}, {"high", 5}}});
  EXPECT_FALSE(runs_on_cells(o));
  EXPECT_NE(error_of([&] { generate_cells(cells, o, settings); }).find("constraints"),
            std::string::npos);
  o.constraints = nullptr;
  EXPECT_TRUE(runs_on_cells(o));
  o.target_col = "tissue";
  const std::string target = error_of([&] { generate_cells(cells, o, settings); });
  EXPECT_NE(target.find("'tissue'"), std::string::npos) << target;
  EXPECT_NE(target.find("cell_type, condition"), std::string::npos) << target;
  o.target_col.reset();
  o.method = "cart";
  EXPECT_FALSE(runs_on_cells(o));
  EXPECT_NE(error_of([&] { generate_cells(cells, o, settings); }).find("single-cell"),
            std::string::npos);
  o.method = "scvi";
  o.model_params["gene_columns"] = Json::array({"g0"});
  EXPECT_NE(error_of([&] { generate_cells(cells, o, settings); }).find("gene_columns"),
            std::string::npos);
}

TEST(CellTable, PartsThatDisagreeAreNamed) {
  CellTable c;
  c.x = CsrMatrix::from_dense(2, 2, {1, 0, 0, 2});
  c.genes = {"a", "a"};
  EXPECT_NE(error_of([&] { c.check(); }).find("'a' occurs twice"), std::string::npos);
  c.genes = {"a", "b"};
  c.obs = Table({Column::float64("b", {1, 2})});
  EXPECT_NE(error_of([&] { c.check(); }).find("'b' is both a gene"), std::string::npos);
  c.obs = Table({Column::float64("depth", {1, 2, 3})});
  EXPECT_NE(error_of([&] { c.check(); }).find("3 rows for 2 cells"), std::string::npos);
  c.genes = {"a"};
  EXPECT_NE(error_of([&] { c.check(); }).find("2 genes but 1 gene names"), std::string::npos);
  c.genes = {"a", "b"};
  c.obs = Table({Column::float64("depth", {1, 2})});
  c.check();
  const Table rows = c.rows(1, 2);
  ASSERT_EQ(rows.num_rows(), 1u);
  EXPECT_EQ(rows.column("a").i64[0], 0);
  EXPECT_EQ(rows.column("b").i64[0], 2);
  EXPECT_EQ(rows.column("depth").f64[0], 2.0);
}

// Cells that would not fit in memory fail before fitting, with the estimate and what helps.
TEST_F(CellsPath, TooManyCellsForTheMemoryFailEarly) {
  const CellTable cells = as_cells(perturbation_table(240));
  const GeneratorSettings settings = quiet_settings();
  GenerateOptions o = scvi_run(10);
  ::setenv("CALM_MEMORY_LIMIT", "10K", 1);
  const std::string e = error_of([&] { generate_cells(cells, o, settings); });
  ::unsetenv("CALM_MEMORY_LIMIT");
  EXPECT_NE(e.find("fitting 'scvi' on 240 cells x 30 genes"), std::string::npos) << e;
  EXPECT_NE(e.find("fewer cells"), std::string::npos) << e;
  EXPECT_NE(e.find("n_hidden"), std::string::npos) << e;
}

namespace {

// The ZINB log-likelihood of one entry in double precision with std::lgamma (zinb_kernel.hpp's
// formula), the reference of the fused float kernel.
double zinb_reference(double x, double m, double p, double t) {
  auto softplus = [](double v) { return std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v))); };
  const double eps = 1e-8, log_den = std::log(t + m + eps);
  const double nb0 = t * (std::log(t + eps) - log_den);
  if (x == 0) return softplus(nb0 - p) - softplus(-p);
  return -softplus(-p) - p + nb0 + x * (std::log(m + eps) - log_den) + std::lgamma(x + t) -
         std::lgamma(t) - std::lgamma(x + 1);
}

}  // namespace

// The fused kernel against the double-precision formula: per-cell sums, and the gradients
// against central differences of the formula (so the hand-written derivatives are checked, not
// assumed); the same bits for 1 and 2 threads; lgamma and digamma against the C library's.
TEST(ZinbKernel, MatchesTheFormulaAndItsDerivatives) {
  const size_t cells = 37, genes = 53;  // not multiples of the vector width
  std::mt19937_64 gen(11);
  std::normal_distribution<double> normal;
  std::vector<float> mu(cells * genes), pi(cells * genes), theta(genes), x(cells * genes, 0);
  for (size_t g = 0; g < genes; ++g) theta[g] = static_cast<float>(std::exp(normal(gen)));
  std::vector<int64_t> nz_index;
  std::vector<float> nz_value;
  for (size_t i = 0; i < cells; ++i)
    for (size_t g = 0; g < genes; ++g) {
      const size_t k = i * genes + g;
      mu[k] = static_cast<float>(std::exp(1.5 * normal(gen)));
      pi[k] = static_cast<float>(2 * normal(gen));
      if (std::uniform_real_distribution<double>()(gen) < 0.4) {
        x[k] = std::floor(static_cast<float>(std::exp(1.5 * std::abs(normal(gen))))) + 1;
        if (k % 97 == 0) x[k] = 3000;  // lgamma far from the shifted range
        nz_index.push_back(static_cast<int64_t>(k));
        nz_value.push_back(x[k]);
      }
    }
  ZinbBatch b{cells,        genes,           mu.data(),       pi.data(),
              theta.data(), nz_index.data(), nz_value.data(), nz_value.size()};
  std::vector<float> ll(cells), ll2(cells), ll3(cells), pieces(3 * cells * genes);
  const ZinbSaved saved{pieces.data(), pieces.data() + cells * genes,
                        pieces.data() + 2 * cells * genes};
  zinb_log_likelihood(b, ll.data(), 1, &saved);
  zinb_log_likelihood(b, ll2.data(), 2, &saved);
  zinb_log_likelihood(b, ll3.data(), 2);
  EXPECT_EQ(ll, ll2);
  EXPECT_EQ(ll, ll3);
  for (size_t i = 0; i < cells; ++i) {
    double want = 0;
    for (size_t g = 0; g < genes; ++g) {
      const size_t k = i * genes + g;
      want += zinb_reference(x[k], mu[k], pi[k], theta[g]);
    }
    EXPECT_NEAR(ll[i], want, 2e-5 * std::abs(want) + 1e-3) << "cell " << i;
  }

  std::vector<float> go(cells), gmu(cells * genes), gpi(cells * genes), gth(genes),
      scratch(cells * genes);
  for (size_t i = 0; i < cells; ++i) go[i] = static_cast<float>(0.5 + 0.1 * i);
  zinb_log_likelihood_grad(b, saved, go.data(), gmu.data(), gpi.data(), gth.data(), scratch.data(),
                           1);
  std::vector<float> gmu2(cells * genes), gpi2(cells * genes), gth2(genes);
  zinb_log_likelihood_grad(b, saved, go.data(), gmu2.data(), gpi2.data(), gth2.data(),
                           scratch.data(), 2);
  EXPECT_EQ(gmu, gmu2);
  EXPECT_EQ(gpi, gpi2);
  EXPECT_EQ(gth, gth2);
  auto diff = [](auto&& f, double v) {
    const double h = 1e-5 * std::max(1.0, std::abs(v));
    return (f(v + h) - f(v - h)) / (2 * h);
  };
  std::vector<double> want_th(genes, 0);
  for (size_t i = 0; i < cells; ++i)
    for (size_t g = 0; g < genes; ++g) {
      const size_t k = i * genes + g;
      const double xm = x[k], m = mu[k], p = pi[k], t = theta[g];
      const double dm = go[i] * diff([&](double v) { return zinb_reference(xm, v, p, t); }, m);
      const double dp = go[i] * diff([&](double v) { return zinb_reference(xm, m, v, t); }, p);
      want_th[g] += go[i] * diff([&](double v) { return zinb_reference(xm, m, p, v); }, t);
      EXPECT_NEAR(gmu[k], dm, 1e-3 * std::abs(dm) + 1e-4) << "mu " << i << "," << g;
      EXPECT_NEAR(gpi[k], dp, 1e-3 * std::abs(dp) + 1e-4) << "pi " << i << "," << g;
    }
  for (size_t g = 0; g < genes; ++g)
    EXPECT_NEAR(gth[g], want_th[g], 1e-3 * std::abs(want_th[g]) + 1e-3) << "theta " << g;

  for (float z : {1e-3f, 0.3f, 1.0f, 2.5f, 7.9f, 8.0f, 15.0f, 123.4f, 3001.5f, 1e5f}) {
    EXPECT_NEAR(zinb_lgamma(z), std::lgamma(z), 2e-6 * std::max(1.0f, std::abs(std::lgamma(z))))
        << z;
    const double h = 1e-4 * z;
    const double psi = (std::lgamma(z + h) - std::lgamma(z - h)) / (2 * h);
    EXPECT_NEAR(zinb_digamma(z), psi, 1e-5 * std::max(1.0, std::abs(psi))) << z;
  }
}
