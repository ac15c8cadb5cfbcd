// par end to end (docs/sequences.md; libtorch builds, skipped where the deep plugin is not built):
// n_samples entities, fresh keys in the real keys' look, time strictly in order and inside the
// context bounds, context constant within an entity, monthly series on their grid, lengths drawn
// from the learned context model (not the real entities' copied), the same output for any thread
// count and after save/load, clear errors for a missing or unknown sequence_key. Tiny networks and
// a few epochs keep the file fast: these tests check the machinery, not the quality (measured
// figures: docs/sequences.md, BENCHMARKS.md).
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

bool par_built() {
  const MethodInfo* m = method_registry().find("par");
  return m && m->available;
}

GenerateOptions par(int64_t entities, const std::string& key, const std::string& time) {
  GenerateOptions o;
  o.n_samples = entities;
  o.method = "par";
  o.model_params = Json{{"sequence_key", key},
                        {"time_col", time},
                        {"par_epochs", 3},
                        {"hidden_size", 16},
                        {"batch_size", 16}};
  return o;
}

SequenceTable entities_of(const Table& t, const std::string& key, const std::string& time) {
  SequenceColumns s;
  s.key = key;
  s.time = time;
  return SequenceTable::build(t, s);
}

}  // namespace

TEST(Par, VisitsAreWholeEntitiesInOrderInsideTheirBounds) {
  if (!par_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(60);
  const Table syn = RealGenerator(quiet(3)).generate(real, par(40, "id", "day"));
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
  // The context columns stay constant within every entity (detected as context again).
  const SequenceTable s = entities_of(syn, "id", "day");
  EXPECT_EQ(s.context_names(syn), (std::vector<std::string>{"futime", "age", "group"}));
}

TEST(Par, MonthlySeriesStayOnTheirGridWithFreshNameKeys) {
  if (!par_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = monthly(6, 30);
  GenerateOptions o = par(5, "city", "date");
  o.model_params["segment_size"] = 12;
  o.model_params["sample_size"] = 2;
  const Table syn = RealGenerator(quiet(5)).generate(real, o);
  const SequenceTable s = entities_of(syn, "city", "date");
  ASSERT_EQ(s.entities(), 5u);
  EXPECT_EQ(syn.column("city").text(0), "city_0001");
  std::set<int64_t> real_dates(real.column("date").i64.begin(), real.column("date").i64.end());
  for (size_t e = 0; e < s.entities(); ++e) {
    EXPECT_EQ(s.length(e), 30u);  // every real city has 30 months
    for (size_t k = 0; k < s.length(e); ++k) {
      const size_t r = static_cast<size_t>(s.row(e, k));
      ASSERT_TRUE(real_dates.count(syn.column("date").i64[r])) << "date off the grid, row " << r;
      int64_t y;
      unsigned m, d;
      civil_from_days(syn.column("date").i64[r] / kNanosPerDay, y, m, d);
      EXPECT_EQ(syn.column("year").i64[r], y);
      EXPECT_EQ(syn.column("month").i64[r], static_cast<int64_t>(m));
    }
  }
}

TEST(Par, LengthsAreDrawnFromTheLearnedModelNotCopied) {
  if (!par_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(60);
  const Table syn = RealGenerator(quiet(2)).generate(real, par(60, "id", "day"));
  const SequenceTable r = entities_of(real, "id", "day"), s = entities_of(syn, "id", "day");
  ASSERT_EQ(s.entities(), 60u);
  std::vector<size_t> real_lengths, syn_lengths;
  for (size_t e = 0; e < 60; ++e) {
    real_lengths.push_back(r.length(e));
    syn_lengths.push_back(s.length(e));
    EXPECT_GE(s.length(e), 1u);
    EXPECT_LE(s.length(e), r.max_length());
  }
  EXPECT_NE(syn_lengths, real_lengths);  // not the real entities' lengths, in order
  std::sort(real_lengths.begin(), real_lengths.end());
  std::sort(syn_lengths.begin(), syn_lengths.end());
  EXPECT_NE(syn_lengths, real_lengths);  // nor a permutation of them
  EXPECT_GE(std::set<size_t>(syn_lengths.begin(), syn_lengths.end()).size(), 4u);
}

TEST(Par, SameOutputForAnyThreadCountAndAfterSaveLoad) {
  if (!par_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(40);
  const GenerateOptions o = par(30, "id", "day");
  RealGenerator one(quiet(7, 1)), two(quiet(7, 2));
  const Table a = one.generate(real, o), b = two.generate(real, o);
  EXPECT_EQ(table_bytes(a), table_bytes(b));
  const std::string path = (std::filesystem::temp_directory_path() / "calm_par_test.calm").string();
  one.save(path);
  RealGenerator loaded = RealGenerator::load(path, quiet(7, 2));
  GenerateOptions again;
  again.n_samples = 30;
  EXPECT_EQ(table_bytes(loaded.sample(again)), table_bytes(a));
  std::filesystem::remove(path);
  EXPECT_NE(table_bytes(RealGenerator(quiet(8, 1)).generate(real, o)), table_bytes(a));
}

TEST(Par, MissingOrUnknownSequenceKeyIsAClearError) {
  if (!par_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(20);
  GenerateOptions no_key;
  no_key.n_samples = 10;
  no_key.method = "par";
  try {
    RealGenerator(quiet(1)).generate(real, no_key);
    ADD_FAILURE() << "no sequence_key accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("sequence_key"), std::string::npos) << e.what();
  }
  try {
    RealGenerator(quiet(1)).generate(real, par(10, "patient", "day"));
    ADD_FAILURE() << "unknown sequence_key accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("patient"), std::string::npos) << e.what();
  }
}

TEST(Par, ParamsHaveSdvDefaultsAndAliases) {
  const MethodInfo* m = method_registry().find("par");
  ASSERT_NE(m, nullptr);
  if (!m->available) GTEST_SKIP() << "deep methods not built";
  EXPECT_EQ(m->family, "time-series");
  const Params p = m->params.resolve(Json{{"sequence_key", "id"}, {"par_epochs", 7}}, "par");
  EXPECT_EQ(p.get_int("epochs"), 7);
  EXPECT_EQ(m->params.resolve(Json{{"sequence_key", "id"}}, "par").get_int("epochs"), 100);
  EXPECT_EQ(m->params.resolve(Json{{"sequence_key", "id"}}, "par").get_int("sample_size"), 1);
  EXPECT_TRUE(m->params.resolve(Json{{"sequence_key", "id"}}, "par").is_null("segment_size"));
  EXPECT_THROW(m->params.resolve(Json{{"sequence_key", "id"}, {"sample_size", 0}}, "par"),
               InvalidArgument);
}

TEST(Par, WithoutATimeColumnTheStepsKeepTheirOrder) {
  if (!par_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(30).select({"id", "futime", "age", "group", "x", "stage"});
  GenerateOptions o = par(12, "id", "");
  o.model_params.erase("time_col");
  const Table syn = RealGenerator(quiet(4)).generate(real, o);
  EXPECT_EQ(syn.column_names(), real.column_names());
  EXPECT_EQ(entity_runs(syn.column("id")).size() - 1, 12u);
}
