// The sequence metrics (calm/eval/sequence_metrics.hpp) on known cases: a table against itself
// scores perfectly; a bootstrap of the real sequences (copies) gives a discriminator AUC well
// below 0.5 and a series with its time order scrambled a high one; the consistency rules catch
// stamps out of order and past their bound; `calm evaluate --sequence-key` prints them, and the
// CLI's bad sequence input exits 2 without output.
#include <gtest/gtest.h>

#include <filesystem>

#include "calm/calm.hpp"
#include "calm/eval/sequence_metrics.hpp"
#include "cli_test_support.hpp"
#include "core/sequence_table.hpp"
#include "sequence_test_tables.hpp"

using namespace calm;

namespace {

SequenceReport score(const Table& real, const Table& syn, const std::string& key,
                     const std::string& time) {
  SequenceMetricsOptions o;
  o.sequence_key = key;
  o.time_col = time;
  o.threads = 2;
  o.trees = 60;
  SchemaOptions so;
  so.overrides[key] = SemanticType::id;
  return evaluate_sequences(real, syn, infer_schema(real, so), o);
}

// `real`'s entities drawn with replacement, renumbered: copies of real sequences.
Table bootstrap(const Table& real, uint64_t seed) {
  SequenceColumns s;
  s.key = "id";
  s.time = "day";
  const SequenceTable q = SequenceTable::build(real, s);
  Rng rng(seed, 0);
  std::vector<int64_t> rows, keys;
  for (size_t e = 0; e < q.entities(); ++e) {
    const size_t pick = rng.below(q.entities());
    for (size_t k = 0; k < q.length(pick); ++k) {
      rows.push_back(q.row(pick, k));
      keys.push_back(static_cast<int64_t>(e + 1));
    }
  }
  return real.take_rows(rows).with_column(Column::int64("id", keys));
}

}  // namespace

TEST(SequenceMetrics, ATableAgainstItselfScoresPerfectly) {
  const Table visits = seq_test::visits(60);
  SequenceReport r = score(visits, visits, "id", "day");
  EXPECT_DOUBLE_EQ(r.length_similarity, 1.0);
  EXPECT_DOUBLE_EQ(*r.autocorrelation_similarity, 1.0);
  EXPECT_FALSE(r.cross_correlation_similarity.has_value());  // one numeric varying column
  EXPECT_DOUBLE_EQ(r.consistency, 1.0);
  EXPECT_NEAR(*r.row_quality, 1.0, 1e-9);
  const Table months = seq_test::monthly(10, 24);
  r = score(months, months, "city", "date");
  ASSERT_TRUE(r.cross_correlation_similarity.has_value());  // sales, year, month
  EXPECT_DOUBLE_EQ(*r.cross_correlation_similarity, 1.0);
  EXPECT_NEAR(*r.predictive_similarity, 1.0, 0.2);
}

TEST(SequenceMetrics, CopiesScoreBelowChanceScrambledTimeScoresHigh) {
  const Table real = seq_test::visits(300);
  const SequenceReport copies = score(real, bootstrap(real, 9), "id", "day");
  EXPECT_LT(*copies.discriminative_auc, 0.45);
  // The monthly series with each city's sales in reverse order: trends run backwards.
  const Table months = seq_test::monthly(40, 36);
  std::vector<double> sales = months.column("sales").f64;
  for (size_t c = 0; c < 40; ++c)
    std::reverse(sales.begin() + static_cast<ptrdiff_t>(c * 36),
                 sales.begin() + static_cast<ptrdiff_t>((c + 1) * 36));
  const Table reversed = months.with_column(Column::float64("sales", sales));
  const SequenceReport scrambled = score(months, reversed, "city", "date");
  EXPECT_GT(*scrambled.discriminative_auc, 0.8);
  EXPECT_DOUBLE_EQ(scrambled.length_similarity, 1.0);  // lengths say nothing here
}

TEST(SequenceMetrics, ConsistencyCatchesDisorderAndBrokenBounds) {
  const Table real = seq_test::visits(50);
  std::vector<int64_t> day = real.column("day").i64;
  // Entity 1's visits backwards, and every day moved past the follow-up time in 10% of the rows.
  std::reverse(day.begin(), day.begin() + 2);
  for (size_t i = 0; i < day.size(); i += 10) day[i] = real.column("futime").i64[i] + 1;
  const Table broken = real.with_column(Column::int64("day", day));
  const SequenceReport r = score(real, broken, "id", "day");
  EXPECT_LT(r.consistency, 1.0);
  bool bound_rule = false;
  for (const auto& rule : r.details["consistency"])
    if (rule["rule"] == "day <= futime") {
      bound_rule = true;
      EXPECT_NEAR(rule["share"].get<double>(), 0.9, 0.02);
    }
  EXPECT_TRUE(bound_rule);
}

TEST(SequenceMetrics, CliEvaluatePrintsTheSequenceScores) {
  using namespace calm::cli_test;
  TempDir dir;
  const Table real = seq_test::visits(60);
  const std::string real_csv = (dir.path / "real.csv").string();
  const std::string syn_csv = (dir.path / "syn.csv").string();
  write_csv(real, real_csv);
  std::string out;
  ASSERT_EQ(run("generate " + real_csv +
                    " -n 300 -m copula_temporal --param sequence_key=id --param time_col=day "
                    "--seed 1 -q -o " +
                    syn_csv,
                &out),
            0)
      << out;
  ASSERT_EQ(run("evaluate " + real_csv + " " + syn_csv + " --sequence-key id --time-col day --json",
                &out),
            0)
      << out;
  const Json j = Json::parse(out);
  for (const char* k : {"length_similarity", "autocorrelation_similarity", "discriminative_auc",
                        "predictive_mae_synthetic", "context_sequence_consistency"})
    EXPECT_TRUE(j["sequence"][k].is_number()) << k;
  EXPECT_EQ(j["sequence"]["entities"]["real"], 60);
  ASSERT_EQ(run("evaluate " + real_csv + " " + syn_csv + " --sequence-key id --time-col day", &out),
            0);
  EXPECT_NE(out.find("Length similarity"), std::string::npos);
  EXPECT_EQ(run("evaluate " + real_csv + " " + syn_csv + " --sequence-key patient", &out), 2);
  EXPECT_NE(out.find("sequence_key 'patient' is not a column"), std::string::npos) << out;
}

TEST(SequenceMetrics, CliBadSequencesExitTwoWithoutOutput) {
  using namespace calm::cli_test;
  TempDir dir;
  const std::string real_csv = dir.file("real.csv", "id,day,x\n1,0,1\n2,0,2\n3,0,3\n4,0,4\n");
  const std::string mixed =
      dir.file("mixed.csv", "id,day,x\n1,0,1\n1,2020-01-02,2\n2,0,3\n2,5,4\n");
  const std::string out_csv = (dir.path / "out.csv").string();
  std::string out;
  const std::string params = " -m copula_temporal --param sequence_key=id --param time_col=day";
  EXPECT_EQ(run("generate " + real_csv + " -n 10 -q -o " + out_csv + params, &out), 2);
  EXPECT_NE(out.find("one row"), std::string::npos) << out;
  EXPECT_EQ(run("generate " + mixed + " -n 10 -q -o " + out_csv + params, &out), 2);
  EXPECT_NE(out.find("numbers, dates or datetimes"), std::string::npos) << out;
  EXPECT_EQ(run("generate " + mixed + " -n 10 -q -o " + out_csv + " -m copula_temporal", &out), 2);
  EXPECT_NE(out.find("needs model_params sequence_key"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(out_csv));
}
