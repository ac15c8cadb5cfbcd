// Quality evaluator (src/eval): every score equals SDMetrics 0.32 to 1e-6 on the fixtures made by
// tests/fixtures/make_quality_fixtures.py, plus the evaluator's own contracts (values compared by
// value across dictionaries, DataError on mismatched tables, JSON without NaN).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/quality.hpp"
#include "calm/io/csv.hpp"

using namespace calm;

namespace {

constexpr double kTol = 1e-6;
const std::string kDir = std::string(CALM_SOURCE_DIR) + "/tests/data/quality/";

Json load_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return Json::parse(in);
}

void expect_score(const Json& expected, const std::optional<double>& actual,
                  const std::string& what) {
  if (expected.is_null()) {
    EXPECT_FALSE(actual.has_value()) << what << ": SDMetrics gives NaN, calm " << *actual;
  } else {
    ASSERT_TRUE(actual.has_value()) << what << ": SDMetrics gives " << expected << ", calm null";
    EXPECT_NEAR(*actual, expected.get<double>(), kTol) << what;
  }
}

struct Case {
  Json reference;
  Table real, synthetic;
  Schema schema;
};

Case load_case(const std::string& name) {
  Case c;
  c.reference = load_json(kDir + name + ".json");
  c.real = read_csv(kDir + name + "_real.csv");
  c.synthetic = read_csv(kDir + name + "_synthetic.csv");
  SchemaOptions options;
  for (const auto& [column, meta] : c.reference["metadata"]["columns"].items())
    options.overrides[column] = semantic_type_from_string(meta["sdtype"].get<std::string>());
  c.schema = infer_schema(c.real, options);
  return c;
}

void check_against_sdmetrics(const std::string& name) {
  SCOPED_TRACE(name);
  const Case c = load_case(name);
  const QualityReport r = evaluate_quality(c.real, c.synthetic, c.schema);
  const Json& q = c.reference["quality"];

  expect_score(q["overall"], r.overall, "overall");
  expect_score(q["properties"]["Column Shapes"], r.column_shapes_score, "Column Shapes");
  expect_score(q["properties"]["Column Pair Trends"], r.column_pair_trends_score,
               "Column Pair Trends");

  ASSERT_EQ(r.column_shapes.size(), q["column_shapes"].size());
  for (size_t i = 0; i < r.column_shapes.size(); ++i) {
    const Json& e = q["column_shapes"][i];
    const auto& a = r.column_shapes[i];
    EXPECT_EQ(a.column, e["column"].get<std::string>());
    EXPECT_EQ(a.metric, e["metric"].get<std::string>());
    expect_score(e["score"], a.score, "shape of " + a.column);
  }

  ASSERT_EQ(r.column_pair_trends.size(), q["column_pair_trends"].size());
  for (size_t i = 0; i < r.column_pair_trends.size(); ++i) {
    const Json& e = q["column_pair_trends"][i];
    const auto& a = r.column_pair_trends[i];
    const std::string what = "pair " + a.column_1 + "/" + a.column_2;
    EXPECT_EQ(a.column_1, e["column_1"].get<std::string>());
    EXPECT_EQ(a.column_2, e["column_2"].get<std::string>());
    EXPECT_EQ(a.metric, e["metric"].get<std::string>()) << what;
    expect_score(e["score"], a.score, what);
    expect_score(e["real_correlation"], a.real_correlation, what + " real r");
    expect_score(e["synthetic_correlation"], a.synthetic_correlation, what + " synthetic r");
    expect_score(e["real_association"], a.real_association, what + " real V");
    if (e["meets_threshold"].is_null())
      EXPECT_FALSE(a.meets_threshold.has_value()) << what;
    else
      EXPECT_EQ(a.meets_threshold, std::optional<bool>(e["meets_threshold"].get<bool>())) << what;
  }

  const Json& d = c.reference["diagnostic"];
  ASSERT_TRUE(r.diagnostic_computed);
  expect_score(d["overall"], r.diagnostic.overall, "diagnostic overall");
  expect_score(d["properties"]["Data Validity"], r.diagnostic.data_validity, "Data Validity");
  expect_score(d["data_structure"], r.diagnostic.data_structure, "Data Structure");
  ASSERT_EQ(r.diagnostic.validity.size(), d["data_validity"].size());
  for (size_t i = 0; i < r.diagnostic.validity.size(); ++i) {
    const Json& e = d["data_validity"][i];
    const auto& a = r.diagnostic.validity[i];
    EXPECT_EQ(a.column, e["column"].get<std::string>());
    EXPECT_EQ(a.metric, e["metric"].get<std::string>());
    expect_score(e["score"], a.score, a.metric + " of " + a.column);
  }
}

Table two_columns(std::vector<int32_t> codes, std::vector<std::string> dict,
                  std::vector<double> x) {
  std::vector<Column> cols;
  cols.push_back(Column::categorical("c", std::move(codes), std::move(dict)));
  cols.push_back(Column::float64("x", std::move(x)));
  return Table(std::move(cols));
}

}  // namespace

TEST(QualitySdmetrics, Penguins) {
  check_against_sdmetrics("penguins");
}
TEST(QualitySdmetrics, CreditSubset) {
  check_against_sdmetrics("credit");
}
TEST(QualitySdmetrics, EdgeCases) {
  check_against_sdmetrics("edge");
}
TEST(QualitySdmetrics, AirqualityWithDates) {
  check_against_sdmetrics("air");
}
TEST(QualitySdmetrics, SingleColumn) {
  check_against_sdmetrics("single");
}

TEST(Quality, ComparesCategoriesByValueNotByCode) {
  // Same values, opposite dictionaries: the distributions are identical.
  Table real = two_columns({0, 0, 1, 1, 1, 0}, {"a", "b"}, {1, 2, 3, 4, 5, 6});
  Table synth = two_columns({1, 1, 0, 0, 0, 1}, {"b", "a"}, {1, 2, 3, 4, 5, 6});
  const Schema schema = infer_schema(real, {.min_rows_for_id = 1000});
  const QualityReport r = evaluate_quality(real, synth, schema);
  ASSERT_EQ(r.column_shapes.size(), 2u);
  EXPECT_EQ(r.column_shapes[0].metric, "TVComplement");
  EXPECT_NEAR(*r.column_shapes[0].score, 1.0, 1e-12);
  EXPECT_NEAR(*r.column_shapes[1].score, 1.0, 1e-12);
  ASSERT_EQ(r.column_pair_trends.size(), 1u);
  ASSERT_TRUE(r.column_pair_trends[0].score.has_value());
  EXPECT_NEAR(*r.column_pair_trends[0].score, 1.0, 1e-12);
  EXPECT_NEAR(*r.diagnostic.validity[0].score, 1.0, 1e-12);  // CategoryAdherence
}

TEST(Quality, MinimalReportSkipsPairsAndThreadsDoNotChangeScores) {
  const Case c = load_case("penguins");
  const QualityReport full1 = evaluate_quality(c.real, c.synthetic, c.schema, {.threads = 1});
  const QualityReport full2 = evaluate_quality(c.real, c.synthetic, c.schema, {.threads = 2});
  EXPECT_EQ(*full1.overall, *full2.overall);
  const QualityReport minimal =
      evaluate_quality(c.real, c.synthetic, c.schema, {.pair_trends = false});
  EXPECT_FALSE(minimal.pair_trends_computed);
  EXPECT_TRUE(minimal.column_pair_trends.empty());
  EXPECT_EQ(*minimal.overall, *minimal.column_shapes_score);
  EXPECT_NE(*minimal.overall, *full1.overall);
}

TEST(Quality, MismatchedTablesAreDataErrors) {
  Table real = two_columns({0, 1, 0}, {"a", "b"}, {1, 2, 3});
  const Schema schema = infer_schema(real, {.min_rows_for_id = 1000});
  Table fewer = real.drop("x");
  EXPECT_THROW(evaluate_quality(real, fewer, schema), DataError);
  Table extra = real.with_column(Column::float64("y", {1, 2, 3}));
  EXPECT_THROW(evaluate_quality(real, extra, schema), DataError);
  // Text where the real table has numbers.
  Table text_x = real.drop("x").with_column(Column::categorical("x", {0, 0, 0}, {"q"}));
  try {
    evaluate_quality(real, text_x, schema);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
  }
}

TEST(Quality, JsonHasNoNaNAndExplainsNulls) {
  const Case c = load_case("edge");
  const Json j = to_json(evaluate_quality(c.real, c.synthetic, c.schema));
  const std::string text = j.dump();
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  EXPECT_EQ(text.find("nan"), std::string::npos);
  ASSERT_TRUE(j["overall"].is_number());
  EXPECT_TRUE(j["properties"].contains("Column Shapes"));
  size_t nulls = 0;
  for (const auto& p : j["column_pair_trends"]) {
    if (!p["score"].is_null()) continue;
    ++nulls;
    EXPECT_TRUE(p.contains("note") || p.contains("error")) << p.dump();
  }
  EXPECT_GT(nulls, 0u);  // the constant column and the weak pairs
  EXPECT_TRUE(j["diagnostic"]["properties"]["Data Structure"].is_number());

  const Case single = load_case("single");
  const Json s = to_json(evaluate_quality(single.real, single.synthetic, single.schema));
  EXPECT_TRUE(s["properties"]["Column Pair Trends"].is_null());
  EXPECT_TRUE(s["property_notes"].contains("Column Pair Trends"));
}
