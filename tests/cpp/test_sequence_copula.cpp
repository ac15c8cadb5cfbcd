// copula_temporal end to end (docs/sequences.md): whole entities in the real keys' look, time in
// order and inside the context bounds, regular months on their grid with year/month consistent,
// the seed's row meaning of n_samples and the entity meaning on request, output identical for any
// thread count and after save/load, keys unique across row blocks, constraints kept entity by
// entity, custom distributions refused; on the datasets (pbc_longitudinal,
// tx_housing_monthly) the acceptance figures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "calm/calm.hpp"
#include "calm/core/row_blocks.hpp"
#include "calm/eval/sequence_metrics.hpp"
#include "core/sequence_table.hpp"
#include "sequence_test_tables.hpp"

using namespace calm;
using namespace calm::seq_test;

namespace {

SequenceTable entities_of(const Table& t, const std::string& key, const std::string& time) {
  SequenceColumns s;
  s.key = key;
  s.time = time;
  return SequenceTable::build(t, s);
}

// Entities appear as contiguous runs of rows, each key once, rows in time order.
void expect_whole_entities_in_order(const Table& t, const std::string& key,
                                    const std::string& time) {
  const std::vector<size_t> runs = entity_runs(t.column(key));
  std::set<std::string> seen;
  for (size_t e = 0; e + 1 < runs.size(); ++e) {
    EXPECT_TRUE(seen.insert(t.column(key).text(runs[e])).second)
        << "key " << t.column(key).text(runs[e]) << " in two runs";
    for (size_t i = runs[e] + 1; i < runs[e + 1]; ++i)
      ASSERT_LT(t.column(time).numeric(i - 1), t.column(time).numeric(i)) << "row " << i;
  }
}

}  // namespace

TEST(CopulaTemporal, VisitsKeepOrderBoundsContextAndFreshKeys) {
  const Table real = visits(80);
  const Table syn = RealGenerator(quiet(3)).generate(real, copula_temporal(600, "id", "day"));
  ASSERT_EQ(syn.num_rows(), 600u);  // the seed's meaning: rows
  EXPECT_EQ(syn.column_names(), real.column_names());
  expect_whole_entities_in_order(syn, "id", "day");
  const SequenceTable s = entities_of(syn, "id", "day");
  EXPECT_EQ(s.context_names(syn), (std::vector<std::string>{"futime", "age", "group"}));
  for (size_t i = 0; i < syn.num_rows(); ++i)
    ASSERT_LE(syn.column("day").i64[i], syn.column("futime").i64[i]) << "row " << i;
  // Keys are 1, 2, ... (the real keys are numbers); every entity starts on day 0 as the real ones.
  EXPECT_EQ(syn.column("id").i64.front(), 1);
  for (size_t e = 0; e < s.entities(); ++e) EXPECT_EQ(syn.column("day").i64[s.row(e, 0)], 0);
  // Lengths as in the real data: 2..9 rows, the last entity perhaps cut to fit n.
  for (size_t e = 0; e + 1 < s.entities(); ++e) {
    EXPECT_GE(s.length(e), 2u);
    EXPECT_LE(s.length(e), 9u);
  }
}

TEST(CopulaTemporal, MonthlySeriesStayMonthlyWithTheirCalendarColumns) {
  const Table real = monthly(6, 30);
  const Table syn = RealGenerator(quiet(5)).generate(real, copula_temporal(360, "city", "date"));
  ASSERT_EQ(syn.num_rows(), 360u);
  const SequenceTable s = entities_of(syn, "city", "date");
  EXPECT_EQ(s.entities(), 12u);  // every real city has 30 months
  EXPECT_EQ(syn.column("city").text(0), "city_0001");
  std::set<int64_t> real_dates(real.column("date").i64.begin(), real.column("date").i64.end());
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    const int64_t ns = syn.column("date").i64[i];
    ASSERT_TRUE(real_dates.count(ns)) << "date off the real grid at row " << i;
    int64_t y;
    unsigned m, d;
    civil_from_days(ns / kNanosPerDay, y, m, d);
    EXPECT_EQ(syn.column("year").i64[i], y);
    EXPECT_EQ(syn.column("month").i64[i], static_cast<int64_t>(m));
  }
  for (size_t e = 0; e < s.entities(); ++e)
    for (size_t k = 1; k < s.length(e); ++k) {
      const int64_t a =
          syn.column("year").i64[s.row(e, k - 1)] * 12 + syn.column("month").i64[s.row(e, k - 1)];
      const int64_t b =
          syn.column("year").i64[s.row(e, k)] * 12 + syn.column("month").i64[s.row(e, k)];
      EXPECT_EQ(b - a, 1) << "entity " << e << " step " << k;
    }
}

TEST(CopulaTemporal, EntityUnitGivesNEntities) {
  GenerateOptions o = copula_temporal(25, "id", "day");
  o.model_params["sample_unit"] = "entities";
  const Table syn = RealGenerator(quiet(1)).generate(visits(60), o);
  EXPECT_EQ(entities_of(syn, "id", "day").entities(), 25u);
  EXPECT_GT(syn.num_rows(), 25u);
}

TEST(CopulaTemporal, SameOutputForAnyThreadCountAndAfterSaveLoad) {
  const Table real = visits(60);
  const GenerateOptions o = copula_temporal(9000, "id", "day");  // three entity chunks
  RealGenerator one(quiet(7, 1)), four(quiet(7, 4));
  const Table a = one.generate(real, o), b = four.generate(real, o);
  EXPECT_EQ(table_bytes(a), table_bytes(b));
  const std::string path =
      (std::filesystem::temp_directory_path() / "calm_copula_temporal_test.calm").string();
  one.save(path);
  RealGenerator loaded = RealGenerator::load(path, quiet(7, 3));
  GenerateOptions again;
  again.n_samples = 9000;
  EXPECT_EQ(table_bytes(loaded.sample(again)), table_bytes(a));
  std::filesystem::remove(path);
  RealGenerator other(quiet(8, 1));
  EXPECT_NE(table_bytes(other.generate(real, o)), table_bytes(a));
}

TEST(CopulaTemporal, KeysStayUniqueAcrossRowBlocks) {
  const Table real = visits(40);
  const auto n = static_cast<int64_t>(kRowBlock + 5000);
  const Table syn = RealGenerator(quiet(2, 2)).generate(real, copula_temporal(n, "id", "day"));
  ASSERT_EQ(syn.num_rows(), static_cast<size_t>(n));
  expect_whole_entities_in_order(syn, "id", "day");
  // Block 1 numbers its entities from kRowBlock + 1.
  EXPECT_EQ(syn.column("id").i64.back() > static_cast<int64_t>(kRowBlock), true);
}

TEST(CopulaTemporal, ConstraintsDropWholeEntitiesSharesAreRefused) {
  const Table real = visits(80);
  GenerateOptions o = copula_temporal(500, "id", "day");
  o.constraints = Json::array({{{"type", "range"}, {"col", "x"}, {"min", 3.5}, {"max", 6.5}}});
  const Table syn = RealGenerator(quiet(4)).generate(real, o);
  ASSERT_EQ(syn.num_rows(), 500u);
  expect_whole_entities_in_order(syn, "id", "day");
  for (double x : syn.column("x").f64) {
    if (!std::isnan(x)) {
      ASSERT_TRUE(x >= 3.5 && x <= 6.5) << x;
    }
  }
  GenerateOptions shares = copula_temporal(100, "id", "day");
  shares.custom_distributions = Json{{"group", {{"a", 0.5}, {"b", 0.5}}}};
  EXPECT_THROW(RealGenerator(quiet(1)).generate(real, shares), InvalidArgument);
  GenerateOptions unique = copula_temporal(100, "id", "day");
  unique.constraints = Json::array({{{"type", "unique"}, {"col", "x"}}});
  EXPECT_THROW(RealGenerator(quiet(1)).generate(real, unique), InvalidArgument);
}

TEST(CopulaTemporal, BadSequenceInputFailsBeforeFitting) {
  const Table real = visits(20);
  GenerateOptions no_key;
  no_key.n_samples = 10;
  no_key.method = "copula_temporal";
  EXPECT_THROW(RealGenerator(quiet(1)).generate(real, no_key), InvalidArgument);
  EXPECT_THROW(RealGenerator(quiet(1)).generate(real, copula_temporal(10, "patient", "day")),
               InvalidArgument);
  std::vector<int64_t> row(real.num_rows());
  for (size_t i = 0; i < row.size(); ++i) row[i] = static_cast<int64_t>(i);
  const Table with_row = real.with_column(Column::int64("row", row));
  EXPECT_THROW(RealGenerator(quiet(1)).generate(with_row, copula_temporal(10, "row", "day")),
               DataError);  // one row per entity
  GenerateOptions too_long = copula_temporal(10, "id", "day");
  too_long.model_params["max_sequence_length"] = 3;
  EXPECT_THROW(RealGenerator(quiet(1)).generate(real, too_long), DataError);
}

// The acceptance on its two datasets, three seeds each (docs/sequences.md lists the
// figures): row quality >= 0.85 and length similarity >= 0.90 on average, a forest tells the
// sequences from real ones with AUC below SDV PAR's 0.999 but not below 0.40 (no copying), and
// every visit day lies in order and inside the follow-up time.
TEST(CopulaTemporalAcceptance, PbcLongitudinalAndTxHousing) {
  const std::string dir = CALM_DATASETS_DIR;
  if (!std::filesystem::exists(dir + "/pbc_longitudinal.csv")) GTEST_SKIP() << "no datasets";
  struct Case {
    std::string file, key, time;
  };
  for (const Case& c : {Case{"pbc_longitudinal.csv", "id", "day"},
                        Case{"tx_housing_monthly.csv", "city", "date"}}) {
    SCOPED_TRACE(c.file);
    const Table real = read_csv(dir + "/" + c.file);
    double rows = 0, lengths = 0;
    for (uint64_t seed : {1, 2, 3}) {
      const Table syn = RealGenerator(quiet(seed, 2))
                            .generate(real, copula_temporal(static_cast<int64_t>(real.num_rows()),
                                                            c.key, c.time));
      expect_whole_entities_in_order(syn, c.key, c.time);
      SequenceMetricsOptions m;
      m.sequence_key = c.key;
      m.time_col = c.time;
      m.threads = 2;
      m.trees = 50;
      SchemaOptions so;
      so.overrides[c.key] = SemanticType::id;
      const SequenceReport r = evaluate_sequences(real, syn, infer_schema(real, so), m);
      rows += *r.row_quality / 3;
      lengths += r.length_similarity / 3;
      EXPECT_LT(*r.discriminative_auc, 0.999);
      EXPECT_GE(*r.discriminative_auc, 0.40);
      EXPECT_DOUBLE_EQ(r.consistency, 1.0);  // time order, constant context, day <= futime
    }
    EXPECT_GE(rows, 0.85);
    EXPECT_GE(lengths, 0.90);
  }
}

// The reports of a sequence method carry the sequence metrics (JSON) and the sequences section with
// one trajectory chart per numeric varying column and the length distribution (HTML).
TEST(CopulaTemporal, ReportsHoldSequenceMetricsAndTrajectories) {
  const Table real = visits(120);
  const auto dir =
      std::filesystem::temp_directory_path() / ("calm_seq_report_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  GenerateOptions o = copula_temporal(600, "id", "day");
  o.output_dir = dir.string();
  GeneratorSettings s = quiet(3, 2);
  s.auto_report = true;
  RealGenerator(s).generate(real, o);
  std::ifstream in(dir / "sdv_quality_report.json");
  const Json report = Json::parse(in);
  ASSERT_TRUE(report.contains("sequence")) << report.dump(1);
  const Json& q = report["sequence"];
  EXPECT_GE(q["length_similarity"].get<double>(), 0.7);
  EXPECT_GT(q["discriminative_auc"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(q["row_quality"].get<double>(), report["overall"].get<double>());
  std::ifstream html_in(dir / "comparison_report.html");
  const std::string html((std::istreambuf_iterator<char>(html_in)), {});
  EXPECT_NE(html.find("id=\"sequences\""), std::string::npos);
  EXPECT_NE(html.find("Trajectories of x"), std::string::npos);  // the AR(1) lab value
  EXPECT_NE(html.find("Distribution of entity lengths"), std::string::npos);
  EXPECT_EQ(html.find("Trajectories of day"), std::string::npos);  // time is the x axis
  std::filesystem::remove_all(dir);
}
