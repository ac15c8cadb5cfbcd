// timegan (docs/sequences.md; libtorch builds, skipped where the deep plugin is not built): the
// training windows (every real step once, shorter entities masked rather than padded with repeated
// rows, each later window conditioned on the real step before it), whole entities in time order
// inside the context bounds, long series generated window after window on their grid, the same
// output for any thread count and after save/load, clear errors for bad parameters. Tiny networks
// and a few iterations keep the file fast: these tests check the machinery, not the quality
// (measured figures: docs/sequences.md, BENCHMARKS.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "calm/calm.hpp"
#include "core/sequence_table.hpp"
#include "models/deep/timegan_params.hpp"
#include "models/deep/timegan_windows.hpp"
#include "sequence_test_tables.hpp"

using namespace calm;
using namespace calm::seq_test;

namespace {

bool timegan_built() {
  const MethodInfo* m = method_registry().find("timegan");
  return m && m->available;
}

GenerateOptions timegan(int64_t entities, const std::string& key, const std::string& time) {
  GenerateOptions o;
  o.n_samples = entities;
  o.method = "timegan";
  o.model_params = Json{{"sequence_key", key}, {"time_col", time}, {"epochs", 3},
                        {"hidden_dim", 8},     {"num_layers", 2},  {"batch_size", 16}};
  return o;
}

SequenceTable entities_of(const Table& t, const std::string& key, const std::string& time) {
  SequenceColumns s;
  s.key = key;
  s.time = time;
  return SequenceTable::build(t, s);
}

}  // namespace

TEST(TimeganWindows, EveryRealStepOnceShorterEntitiesMaskedLaterWindowsConditioned) {
  const Table real = monthly(3, 30);
  const Schema schema = infer_schema(real);
  const Logger log(LogLevel::quiet, nullptr);
  const Json params = {{"sequence_key", "city"}, {"time_col", "date"}};
  const FitContext ctx{schema, std::nullopt, timegan_param_spec().resolve(params, "timegan"), 1,
                       1,      log};
  SequenceFrame f;
  const SequenceFrame::Training t =
      f.fit(real, ctx, timegan_options(params).columns, {}, "timegan");
  ASSERT_EQ(timegan_window_steps(f, 12), 12u);
  ASSERT_EQ(timegan_window_steps(f, 100), 30u);  // never longer than the longest entity
  const TimeganWindows w = timegan_windows(f, t, 12);
  ASSERT_EQ(w.count, 9u);  // 30 months: windows of 12, 12 and 6
  const size_t nf = w.features, nc = w.conditions, nz = f.entities.variables();
  ASSERT_GT(nf, 0u);
  double valid = 0;
  for (float m : w.mask) valid += m;
  EXPECT_EQ(valid, 90.0);  // every real step exactly once
  for (size_t i = 0; i < w.count; ++i) {
    for (size_t k = 0; k < 12; ++k) {
      const size_t slot = i * 12 + k;
      EXPECT_EQ(w.mask[slot], i % 3 == 2 && k >= 6 ? 0.0f : 1.0f)
          << "window " << i << " step " << k;
      for (size_t j = 0; j < nf; ++j) {
        const float x = w.x[slot * nf + j];
        EXPECT_GE(x, 0.0f);
        EXPECT_LE(x, 1.0f);
        if (w.mask[slot] == 0.0f) {
          EXPECT_EQ(x, 0.0f) << "a padded step holds values";
        }
      }
    }
    // The first window of an entity is flagged; a later one carries the real step before it.
    const float* c = w.c.data() + i * 12 * nc;
    EXPECT_EQ(c[nz + nf], i % 3 == 0 ? 1.0f : 0.0f);
    if (i % 3 != 0) {
      for (size_t j = 0; j < nf; ++j) EXPECT_EQ(c[nz + j], w.x[((i - 1) * 12 + 11) * nf + j]);
    }
  }
}

TEST(Timegan, VisitsAreWholeEntitiesInOrderInsideTheirBounds) {
  if (!timegan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(60);
  const Table syn = RealGenerator(quiet(3)).generate(real, timegan(40, "id", "day"));
  EXPECT_EQ(syn.column_names(), real.column_names());
  const std::vector<size_t> runs = entity_runs(syn.column("id"));
  ASSERT_EQ(runs.size() - 1, 40u);  // n_samples counts entities
  std::set<int64_t> keys;
  for (size_t e = 0; e + 1 < runs.size(); ++e) {
    EXPECT_TRUE(keys.insert(syn.column("id").i64[runs[e]]).second);
    for (size_t i = runs[e] + 1; i < runs[e + 1]; ++i)
      ASSERT_LT(syn.column("day").i64[i - 1], syn.column("day").i64[i]) << "row " << i;
  }
  for (size_t i = 0; i < syn.num_rows(); ++i)
    ASSERT_LE(syn.column("day").i64[i], syn.column("futime").i64[i]) << "row " << i;
  const SequenceTable s = entities_of(syn, "id", "day");
  EXPECT_EQ(s.context_names(syn), (std::vector<std::string>{"futime", "age", "group"}));
  for (size_t e = 0; e < s.entities(); ++e) EXPECT_LE(s.length(e), 9u);
  // Categories and numbers come from the real values' range.
  std::set<int32_t> stages(syn.column("stage").codes.begin(), syn.column("stage").codes.end());
  EXPECT_GE(stages.size(), 2u);
}

TEST(Timegan, LongSeriesAreGeneratedWindowAfterWindowOnTheirGrid) {
  if (!timegan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = monthly(6, 30);
  GenerateOptions o = timegan(5, "city", "date");
  o.model_params["seq_len"] = 8;  // 4 windows per city
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
      EXPECT_FALSE(std::isnan(syn.column("sales").f64[r]));
    }
  }
}

TEST(Timegan, SameOutputForAnyThreadCountAndAfterSaveLoad) {
  if (!timegan_built()) GTEST_SKIP() << "deep methods not built";
  const Table real = visits(40);
  const GenerateOptions o = timegan(30, "id", "day");
  RealGenerator one(quiet(7, 1)), two(quiet(7, 2));
  const Table a = one.generate(real, o), b = two.generate(real, o);
  EXPECT_EQ(table_bytes(a), table_bytes(b));
  const std::string path =
      (std::filesystem::temp_directory_path() / "calm_timegan_test.calm").string();
  one.save(path);
  RealGenerator loaded = RealGenerator::load(path, quiet(7, 2));
  GenerateOptions again;
  again.n_samples = 30;
  EXPECT_EQ(table_bytes(loaded.sample(again)), table_bytes(a));
  std::filesystem::remove(path);
  EXPECT_NE(table_bytes(RealGenerator(quiet(8, 1)).generate(real, o)), table_bytes(a));
}

TEST(Timegan, BadParametersAreClearErrors) {
  const MethodInfo* m = method_registry().find("timegan");
  ASSERT_NE(m, nullptr);
  if (!m->available) GTEST_SKIP() << "deep methods not built";
  EXPECT_EQ(m->family, "time-series");
  const Params p = m->params.resolve(Json{{"sequence_key", "id"}}, "timegan");
  EXPECT_EQ(p.get_int("seq_len"), 24);
  EXPECT_EQ(p.get_int("hidden_dim"), 24);
  EXPECT_EQ(p.get_int("num_layers"), 3);
  EXPECT_EQ(p.get_int("batch_size"), 128);
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, Json>>{{"seq_len", 1},
                                                 {"epochs", 0},
                                                 {"hidden_dim", 0},
                                                 {"num_layers", 0},
                                                 {"batch_size", 0},
                                                 {"learning_rate", 0.0}}) {
    try {
      m->params.resolve(Json{{"sequence_key", "id"}, {name, value}}, "timegan");
      ADD_FAILURE() << name << " = " << value.dump() << " accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  const Table real = visits(20);
  GenerateOptions no_key;
  no_key.n_samples = 10;
  no_key.method = "timegan";
  try {
    RealGenerator(quiet(1)).generate(real, no_key);
    ADD_FAILURE() << "no sequence_key accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("sequence_key"), std::string::npos) << e.what();
  }
}
