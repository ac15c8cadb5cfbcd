// dgan end to end (docs/sequences.md; libtorch builds, skipped where the deep plugin is not
// built): n_samples entities, fresh keys, time strictly in order and inside the context bounds,
// context constant within an entity, monthly series on their grid, categories kept, lengths from
// the generation flag (varied, never longer than seq_len), the same output for any thread count
// and after save/load, clear errors for bad parameters. Tiny networks and a few epochs keep the
// file fast: these tests check the machinery, not the quality (measured figures:
// docs/sequences.md, BENCHMARKS.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "calm/calm.hpp"
#include "core/sequence_table.hpp"
#include "sequence_test_tables.hpp"

using namespace calm;
using namespace calm::seq_test;

namespace {

bool dgan_built() {
  const MethodInfo* m = method_registry().find("dgan");
  return m && m->available;
}

GenerateOptions dgan(int64_t entities, const std::string& key, const std::string& time) {
  GenerateOptions o;
  o.n_samples = entities;
  o.method = "dgan";
  o.model_params =
      Json{{"sequence_key", key},    {"time_col", time},          {"epochs", 30},
           {"batch_size", 16},       {"attribute_num_units", 16}, {"attribute_num_layers", 2},
           {"feature_num_units", 16}};
  return o;
}

SequenceTable entities_of(const Table& t, const std::string& key, const std::string& time) {
  SequenceColumns s;
  s.key = key;
  s.time = time;
  return SequenceTable::build(t, s);
}

}  // namespace

TEST(Dgan, VisitsAreWholeEntitiesInOrderInsideTheirBounds) {
  if (!dgan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(60);
  const Table syn = RealGenerator(quiet(3)).generate(real, dgan(40, "id", "day"));
  EXPECT_EQ(syn.column_names(), real.column_names());
  const std::vector<size_t> runs = entity_runs(syn.column("id"));
  ASSERT_EQ(runs.size() - 1, 40u);  // n_samples counts entities
  std::set<int64_t> keys;
  for (size_t e = 0; e + 1 < runs.size(); ++e) {
    EXPECT_TRUE(keys.insert(syn.column("id").i64[runs[e]]).second);
    for (size_t i = runs[e] + 1; i < runs[e + 1]; ++i)
      ASSERT_LT(syn.column("day").i64[i - 1], syn.column("day").i64[i]) << "row " << i;
  }
  EXPECT_EQ(*keys.begin(), 1);  // number keys become 1, 2, ...
  for (size_t i = 0; i < syn.num_rows(); ++i)
    ASSERT_LE(syn.column("day").i64[i], syn.column("futime").i64[i]) << "row " << i;
  const SequenceTable s = entities_of(syn, "id", "day");
  EXPECT_EQ(s.context_names(syn), (std::vector<std::string>{"futime", "age", "group"}));
  // Categories are kept (gretel's DGAN takes numbers only): every stage is a real one.
  std::set<std::string> real_stages, syn_stages;
  for (size_t i = 0; i < real.num_rows(); ++i) real_stages.insert(real.column("stage").text(i));
  for (size_t i = 0; i < syn.num_rows(); ++i) syn_stages.insert(syn.column("stage").text(i));
  for (const std::string& v : syn_stages) EXPECT_TRUE(real_stages.count(v)) << v;
}

TEST(Dgan, LengthsComeFromTheGenerationFlagWithinSeqLen) {
  if (!dgan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(60);
  GenerateOptions o = dgan(80, "id", "day");
  o.model_params["seq_len"] = 6;
  o.model_params["sample_len"] = 4;  // 8 padded steps, two LSTM cells
  const Table syn = RealGenerator(quiet(2)).generate(real, o);
  const std::vector<size_t> runs = entity_runs(syn.column("id"));
  ASSERT_EQ(runs.size() - 1, 80u);
  std::set<size_t> lengths;
  for (size_t e = 0; e + 1 < runs.size(); ++e) {
    const size_t length = runs[e + 1] - runs[e];
    EXPECT_GE(length, 1u);
    EXPECT_LE(length, 6u);  // never past seq_len, though the padded sequence has 8 steps
    lengths.insert(length);
  }
  EXPECT_GE(lengths.size(), 2u);
  // Entities cut to seq_len train on the span of their first seq_len visits: still in bounds.
  for (size_t i = 0; i < syn.num_rows(); ++i)
    ASSERT_LE(syn.column("day").i64[i], syn.column("futime").i64[i]) << "row " << i;
}

TEST(Dgan, MonthlySeriesStayOnTheirGridWithFreshNameKeys) {
  if (!dgan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = monthly(6, 30);
  GenerateOptions o = dgan(5, "city", "date");
  o.model_params["sample_len"] = 5;
  const Table syn = RealGenerator(quiet(5)).generate(real, o);
  const std::vector<size_t> runs = entity_runs(syn.column("city"));
  ASSERT_EQ(runs.size() - 1, 5u);
  EXPECT_EQ(syn.column("city").text(0), "city_0001");
  std::set<int64_t> real_dates(real.column("date").i64.begin(), real.column("date").i64.end());
  for (size_t e = 0; e + 1 < runs.size(); ++e) {
    EXPECT_EQ(runs[e + 1] - runs[e], 30u);  // one real length: no flag, as gretel
    for (size_t r = runs[e]; r < runs[e + 1]; ++r) {
      if (r > runs[e]) {
        ASSERT_LT(syn.column("date").i64[r - 1], syn.column("date").i64[r]);
      }
      ASSERT_TRUE(real_dates.count(syn.column("date").i64[r])) << "date off the grid, row " << r;
      int64_t y;
      unsigned mo, d;
      civil_from_days(syn.column("date").i64[r] / kNanosPerDay, y, mo, d);
      EXPECT_EQ(syn.column("year").i64[r], y);
      EXPECT_EQ(syn.column("month").i64[r], static_cast<int64_t>(mo));
    }
  }
}

TEST(Dgan, SameOutputForAnyThreadCountAndAfterSaveLoad) {
  if (!dgan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(40);
  const GenerateOptions o = dgan(30, "id", "day");
  RealGenerator one(quiet(7, 1)), two(quiet(7, 2));
  const Table a = one.generate(real, o), b = two.generate(real, o);
  EXPECT_EQ(table_bytes(a), table_bytes(b));
  const std::string path =
      (std::filesystem::temp_directory_path() / "calm_dgan_test.calm").string();
  one.save(path);
  RealGenerator loaded = RealGenerator::load(path, quiet(7, 2));
  GenerateOptions again;
  again.n_samples = 30;
  EXPECT_EQ(table_bytes(loaded.sample(again)), table_bytes(a));
  std::filesystem::remove(path);
  EXPECT_NE(table_bytes(RealGenerator(quiet(8, 1)).generate(real, o)), table_bytes(a));
}

TEST(Dgan, WithoutATimeColumnOrContextTheStepsKeepTheirOrder) {
  if (!dgan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(30).select({"id", "x", "stage"});
  GenerateOptions o = dgan(12, "id", "");
  o.model_params.erase("time_col");
  const Table syn = RealGenerator(quiet(4)).generate(real, o);
  EXPECT_EQ(syn.column_names(), real.column_names());
  EXPECT_EQ(entity_runs(syn.column("id")).size() - 1, 12u);
}

TEST(Dgan, BadParametersAreClearErrors) {
  const MethodInfo* m = method_registry().find("dgan");
  ASSERT_NE(m, nullptr);
  if (!m->available) GTEST_SKIP() << "deep methods not built";
  EXPECT_EQ(m->family, "time-series");
  const Params p = m->params.resolve(Json{{"sequence_key", "id"}}, "dgan");
  EXPECT_EQ(p.get_int("epochs"), 400);   // gretel's DGANConfig defaults
  EXPECT_TRUE(p.is_null("batch_size"));  // a fifth of the entities, 16 to gretel's 1024
  EXPECT_EQ(p.get_double("generator_learning_rate"), 1e-3);
  EXPECT_TRUE(p.is_null("seq_len"));
  EXPECT_THROW(m->params.resolve(Json{{"sequence_key", "id"}, {"sample_len", 0}}, "dgan"),
               InvalidArgument);
  EXPECT_THROW(
      m->params.resolve(Json{{"sequence_key", "id"}, {"gradient_penalty_coef", -1}}, "dgan"),
      InvalidArgument);
  const Table real = visits(20);
  GenerateOptions o = dgan(10, "id", "day");
  o.model_params["seq_len"] = 3;
  o.model_params["sample_len"] = 4;
  try {
    RealGenerator(quiet(1)).generate(real, o);
    ADD_FAILURE() << "sample_len > seq_len accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("sample_len"), std::string::npos) << e.what();
  }
  try {
    RealGenerator(quiet(1)).generate(real, dgan(10, "patient", "day"));
    ADD_FAILURE() << "unknown sequence_key accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("patient"), std::string::npos) << e.what();
  }
}
