// `smote` and `adasyn`: real rows kept up to each class's count (subset when fewer are asked), the
// SMOTE segment property of the synthetic rows (checked exactly against a brute-force k-NN),
// SMOTE-NC categorical votes, ADASYN density ratios and seeding, class mix (balanced and
// requested), the missing-target error, degenerate inputs, thread-count independence and the
// save/load round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "calm/calm.hpp"
#include "models/oversampling/oversampler.hpp"
#include "transform/knn.hpp"

using namespace calm;

namespace {

const Logger& quiet() {
  static Logger log(LogLevel::quiet, nullptr);
  return log;
}

std::unique_ptr<OversamplingSynthesizer> fit_over(OversamplingKind kind, const Table& data,
                                                  const std::string& target, Json params = {}) {
  if (params.is_null()) params = Json::object();
  const Schema schema = infer_schema(data);
  auto s = std::make_unique<OversamplingSynthesizer>(kind);
  FitContext ctx{schema, target, Params(params), 3, 1, quiet()};
  s->fit(data, ctx);
  return s;
}

Table draw(const OversamplingSynthesizer& s, size_t n, int threads = 1,
           const ColumnShares* shares = nullptr) {
  return s.sample(n, SampleContext{17, threads, quiet(), shares});
}

// Continuous features, three classes of 80, 25 and 6 rows.
Table numeric_classes() {
  Rng rng(5, 0);
  std::vector<double> a, b;
  std::vector<int32_t> cls;
  const int sizes[3] = {80, 25, 6};
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < sizes[c]; ++i) {
      a.push_back(3.0 * c + rng.normal());
      b.push_back(100.0 * rng.normal() - 50.0 * c);  // another scale: standardisation matters
      cls.push_back(c);
    }
  return Table({Column::float64("a", a), Column::float64("b", b),
                Column::categorical("cls", cls, {"big", "mid", "tiny"})});
}

std::map<int32_t, size_t> class_counts(const Table& t, const std::string& col) {
  std::map<int32_t, size_t> counts;
  for (size_t i = 0; i < t.num_rows(); ++i) ++counts[t.column(col).codes[i]];
  return counts;
}

// Brute-force k nearest same-class neighbours on globally standardised (a, b).
std::vector<std::vector<size_t>> brute_knn(const Table& t, size_t k) {
  const size_t n = t.num_rows();
  double ma = 0, mb = 0, sa = 0, sb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += t.column("a").f64[i];
    mb += t.column("b").f64[i];
  }
  ma /= n;
  mb /= n;
  for (size_t i = 0; i < n; ++i) {
    sa += std::pow(t.column("a").f64[i] - ma, 2);
    sb += std::pow(t.column("b").f64[i] - mb, 2);
  }
  sa = std::sqrt(sa / n);
  sb = std::sqrt(sb / n);
  std::vector<std::vector<size_t>> out(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::pair<double, size_t>> d;
    for (size_t j = 0; j < n; ++j) {
      if (j == i || t.column("cls").codes[j] != t.column("cls").codes[i]) continue;
      d.push_back({std::pow((t.column("a").f64[i] - t.column("a").f64[j]) / sa, 2) +
                       std::pow((t.column("b").f64[i] - t.column("b").f64[j]) / sb, 2),
                   j});
    }
    std::sort(d.begin(), d.end());
    for (size_t r = 0; r < std::min(k, d.size()); ++r) out[i].push_back(d[r].second);
  }
  return out;
}

// Every row of `out` from `first` on is on the segment between a training row and one of its k
// nearest same-class neighbours (brute force), with the same gap u in [0, 1] for both features.
void expect_on_knn_segments(const Table& data, const Table& out, size_t first, size_t k) {
  const auto knn = brute_knn(data, k);
  for (size_t r = first; r < out.num_rows(); ++r) {
    const double pa = out.column("a").f64[r], pb = out.column("b").f64[r];
    bool found = false;
    for (size_t i = 0; i < data.num_rows() && !found; ++i) {
      if (data.column("cls").codes[i] != out.column("cls").codes[r]) continue;
      const double ia = data.column("a").f64[i], ib = data.column("b").f64[i];
      for (size_t j : knn[i]) {
        const double da = data.column("a").f64[j] - ia, db = data.column("b").f64[j] - ib;
        const double u = std::abs(da) > std::abs(db / 100) ? (pa - ia) / da : (pb - ib) / db;
        if (u < -1e-12 || u > 1 + 1e-12) continue;
        if (std::abs(ia + u * da - pa) < 1e-9 && std::abs(ib + u * db - pb) < 1e-7) {
          found = true;
          break;
        }
      }
    }
    ASSERT_TRUE(found) << "row " << r << " (" << pa << ", " << pb << ") is on no k-NN segment";
  }
}

void expect_same_cells(const Table& a, const Table& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.num_columns(), b.num_columns());
  for (size_t c = 0; c < a.num_columns(); ++c)
    for (size_t i = 0; i < a.num_rows(); ++i)
      ASSERT_EQ(a.column(c).text(i), b.column(c).text(i)) << a.column(c).name << " row " << i;
}

}  // namespace

TEST(Smote, RealRowsAreKeptAndOnlyTheShortfallIsSynthesised) {
  // Classes of 80, 25 and 6 rows, 100 asked of each: all 111 real rows come first, unchanged and
  // in input order (bit for bit), then 20 + 75 + 94 synthetic rows on k-NN segments.
  const Table data = numeric_classes();
  auto s = fit_over(OversamplingKind::smote, data, "cls", {{"k_neighbors", 5}});
  const Table out = draw(*s, 300);
  ASSERT_EQ(out.num_rows(), 300u);
  const auto counts = class_counts(out, "cls");
  EXPECT_EQ(counts.at(0), 100u);
  EXPECT_EQ(counts.at(1), 100u);
  EXPECT_EQ(counts.at(2), 100u);
  for (size_t i = 0; i < data.num_rows(); ++i) {
    EXPECT_EQ(out.column("a").f64[i], data.column("a").f64[i]) << i;
    EXPECT_EQ(out.column("b").f64[i], data.column("b").f64[i]) << i;
    EXPECT_EQ(out.column("cls").codes[i], data.column("cls").codes[i]) << i;
  }
  // Synthetic rows come class by class.
  for (size_t i = 111; i < 300; ++i)
    EXPECT_EQ(out.column("cls").codes[i], i < 131 ? 0 : (i < 206 ? 1 : 2)) << i;
  expect_on_knn_segments(data, out, 111, 5);
}

TEST(Smote, SyntheticOnlyMakesEveryRowOnASegment) {
  const Table data = numeric_classes();
  auto s = fit_over(OversamplingKind::smote, data, "cls",
                    {{"k_neighbors", 5}, {"synthetic_only", true}});
  const Table out = draw(*s, 300);
  const auto counts = class_counts(out, "cls");
  EXPECT_EQ(counts.at(0), 100u);
  EXPECT_EQ(counts.at(2), 100u);
  expect_on_knn_segments(data, out, 0, 5);
}

TEST(Smote, FewerRowsThanTheDataGiveABalancedSubsetOfRealRows) {
  // 10 of each class: "big" and "mid" return 10 distinct real rows each, "tiny" its 6 real rows
  // plus 4 synthetic ones.
  const Table data = numeric_classes();
  auto s = fit_over(OversamplingKind::smote, data, "cls");
  const Table out = draw(*s, 30);
  ASSERT_EQ(out.num_rows(), 30u);
  std::map<int32_t, size_t> real_per_class;
  std::set<size_t> used;
  size_t previous = 0;
  for (size_t r = 0; r < 26; ++r) {
    size_t match = data.num_rows();
    for (size_t i = 0; i < data.num_rows(); ++i)
      if (data.column("a").f64[i] == out.column("a").f64[r] &&
          data.column("b").f64[i] == out.column("b").f64[r])
        match = i;
    ASSERT_LT(match, data.num_rows()) << "row " << r << " is not a real row";
    EXPECT_EQ(data.column("cls").codes[match], out.column("cls").codes[r]);
    EXPECT_TRUE(used.insert(match).second) << "real row " << match << " returned twice";
    if (r > 0) {
      EXPECT_GT(match, previous) << "input order";
    }
    previous = match;
    ++real_per_class[out.column("cls").codes[r]];
  }
  EXPECT_EQ(real_per_class[0], 10u);
  EXPECT_EQ(real_per_class[1], 10u);
  EXPECT_EQ(real_per_class[2], 6u);
  for (size_t r = 26; r < 30; ++r) EXPECT_EQ(out.column("cls").codes[r], 2);
  expect_on_knn_segments(data, out, 26, 5);
  // A different seed draws a different subset.
  const Table other = s->sample(30, SampleContext{18, 1, quiet(), nullptr});
  bool differs = false;
  for (size_t r = 0; r < 26; ++r) differs |= other.column("a").f64[r] != out.column("a").f64[r];
  EXPECT_TRUE(differs);
}

TEST(Smote, RequestedSharesOnTheTargetAreMetExactly) {
  auto s = fit_over(OversamplingKind::smote, numeric_classes(), "cls");
  ColumnShares shares{"cls", {0.0, 2.0}, {0.75, 0.25}};
  const auto counts = class_counts(draw(*s, 1000, 1, &shares), "cls");
  EXPECT_EQ(counts.at(0), 750u);
  EXPECT_EQ(counts.at(2), 250u);
  EXPECT_EQ(counts.count(1), 0u);
  ColumnShares other{"a", {0.0}, {1.0}};
  EXPECT_THROW(draw(*s, 10, 1, &other), NotAvailable);
}

TEST(Smote, NominalFeaturesTakeTheNeighboursMajorityValue) {
  // Within class "x" the colour is always red; within "y" blue except every fifth row (red), so
  // each y row's 5 nearest same-class neighbours (by v) are mostly blue. The synthetic rows (after
  // the 120 real ones) must be red for x and, for y, red only where the neighbours vote red.
  Rng rng(9, 0);
  std::vector<double> v;
  std::vector<int32_t> colour, cls;
  for (int i = 0; i < 120; ++i) {
    const bool x = i < 90;
    v.push_back(rng.normal() + (x ? 0 : 4));
    colour.push_back(x ? 0 : (i % 5 == 0 ? 0 : 2));
    cls.push_back(x ? 0 : 1);
  }
  const Table data({Column::float64("v", v),
                    Column::categorical("colour", colour, {"red", "green", "blue"}),
                    Column::categorical("cls", cls, {"x", "y"})});
  auto s = fit_over(OversamplingKind::smote, data, "cls");
  const Table out = draw(*s, 400);
  // Brute force: the SMOTE-NC vote of each y row (k = 5, distance over v and the colour).
  size_t expected_red_seeds = 0;
  for (size_t i = 90; i < 120; ++i) {
    std::vector<std::pair<double, size_t>> d;
    for (size_t j = 90; j < 120; ++j)
      if (j != i) d.push_back({std::abs(v[j] - v[i]) + (colour[j] != colour[i]) * 1e-9, j});
    std::sort(d.begin(), d.end());
    size_t red = 0;
    for (size_t r = 0; r < 5; ++r) red += colour[d[r].second] == 0;
    expected_red_seeds += red >= 3;
  }
  size_t y_blue = 0, y_rows = 0;
  for (size_t i = 120; i < out.num_rows(); ++i) {
    const int32_t c = out.column("colour").codes[i];
    EXPECT_NE(c, 1) << "green never occurs";
    if (out.column("cls").codes[i] == 0) {
      EXPECT_EQ(c, 0);
    } else {
      ++y_rows;
      y_blue += c == 2;
    }
  }
  ASSERT_EQ(y_rows, 170u);
  // Red votes need 3 red rows among 5 neighbours: rare, so most synthetic y rows are blue.
  EXPECT_LT(expected_red_seeds, 10u);
  EXPECT_GT(static_cast<double>(y_blue) / static_cast<double>(y_rows), 0.6);
}

TEST(Adasyn, SeedsFromRowsAmongOtherClassesNotFromIsolatedOnes) {
  // Minority: 10 rows mixed into the majority around 0, 10 rows alone around 100.
  Rng rng(4, 0);
  std::vector<double> v;
  std::vector<int32_t> cls;
  for (int i = 0; i < 200; ++i) {
    v.push_back(rng.uniform() * 10);
    cls.push_back(0);
  }
  for (int i = 0; i < 10; ++i) {
    v.push_back(rng.uniform() * 10);
    cls.push_back(1);
  }
  for (int i = 0; i < 10; ++i) {
    v.push_back(100 + rng.uniform());
    cls.push_back(1);
  }
  const Table data({Column::float64("v", v), Column::categorical("cls", cls, {"maj", "min"})});
  auto a = fit_over(OversamplingKind::adasyn, data, "cls", {{"adasyn_neighbors", 5}});
  const auto ratio = a->density_ratios(1);
  ASSERT_EQ(ratio.size(), 20u);
  for (size_t r = 10; r < 20; ++r) EXPECT_EQ(ratio[r], 0.0) << "isolated row " << r;
  double mixed = 0;
  for (size_t r = 0; r < 10; ++r) mixed += ratio[r];
  EXPECT_GT(mixed / 10, 0.5);

  // 1000 of each class: the 220 real rows first, then 800 synthetic majority rows, then 980
  // synthetic minority rows.
  auto count_far = [](const Table& out) {
    size_t far = 0;
    for (size_t i = 220; i < out.num_rows(); ++i) {
      EXPECT_EQ(out.column("cls").codes[i], i < 1020 ? 0 : 1) << i;
      far += out.column("cls").codes[i] == 1 && out.column("v").f64[i] > 50;
    }
    return far;
  };
  // ADASYN never seeds from the isolated rows (weight 0), and their same-class neighbours are
  // each other, so no synthetic point lands near 100; plain SMOTE puts about half there.
  EXPECT_EQ(count_far(draw(*a, 2000)), 0u);
  auto s = fit_over(OversamplingKind::smote, data, "cls");
  EXPECT_GT(count_far(draw(*s, 2000)), 300u);
}

TEST(Oversampling, WithoutTargetTheErrorSaysATargetIsNeeded) {
  GeneratorSettings settings;
  settings.random_state = 1;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  for (const std::string method : {"smote", "adasyn"}) {
    GenerateOptions o;
    o.n_samples = 10;
    o.method = method;
    try {
      RealGenerator(settings).generate(numeric_classes(), o);
      FAIL() << method << " ran without a target";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("target"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(method), std::string::npos) << e.what();
    }
    EXPECT_TRUE(method_registry().get(method).needs_target);
    // Called directly, the method itself says so.
    const Table data = numeric_classes();
    const Schema schema = infer_schema(data);
    auto m = method_registry().get(method).create();
    try {
      m->fit(data, FitContext{schema, std::nullopt, Params(Json::object()), 1, 1, quiet()});
      FAIL() << method << " fitted without a target";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("target is required"), std::string::npos) << e.what();
    }
  }
}

TEST(Oversampling, ThroughTheApiWithBalanceTarget) {
  GeneratorSettings settings;
  settings.random_state = 1;
  settings.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  GenerateOptions o;
  o.n_samples = 90;
  o.method = "adasyn";
  o.target_col = "cls";
  o.balance_target = true;
  const Table out = RealGenerator(settings).generate(numeric_classes(), o);
  const auto counts = class_counts(out, "cls");
  EXPECT_EQ(counts.at(0), 30u);
  EXPECT_EQ(counts.at(2), 30u);
}

TEST(Oversampling, DegenerateClassesAndCategoricalOnlyFeatures) {
  // Class "one" has one row, "few" three rows (k = 5 -> 2), "many" 30; a constant numeric column
  // (a single value, so a category) beside a categorical one: the features are categorical only.
  std::vector<int32_t> cls, colour;
  std::vector<double> konst;
  for (int i = 0; i < 34; ++i) {
    cls.push_back(i == 0 ? 0 : (i < 4 ? 1 : 2));
    colour.push_back(i % 3);
    konst.push_back(7.5);
  }
  const Table data({Column::categorical("colour", colour, {"r", "g", "b"}),
                    Column::float64("konst", konst),
                    Column::categorical("cls", cls, {"one", "few", "many"})});
  for (auto kind : {OversamplingKind::smote, OversamplingKind::adasyn}) {
    auto s = fit_over(kind, data, "cls");
    EXPECT_EQ(s->neighbours_used(0), 0u);
    EXPECT_EQ(s->neighbours_used(1), 2u);
    EXPECT_EQ(s->neighbours_used(2), 5u);
    const Table out = draw(*s, 300);
    const auto counts = class_counts(out, "cls");
    EXPECT_EQ(counts.at(0), 100u);
    EXPECT_EQ(counts.at(1), 100u);
    for (size_t i = 0; i < out.num_rows(); ++i) {
      EXPECT_EQ(out.column("konst").f64[i], 7.5);
      // The single-row class is copied: its row has colour r.
      if (out.column("cls").codes[i] == 0) {
        EXPECT_EQ(out.column("colour").codes[i], 0);
      }
      EXPECT_GE(out.column("colour").codes[i], 0);
      EXPECT_LE(out.column("colour").codes[i], 2);
    }
  }
}

TEST(Oversampling, MissingNumericsFollowTheSeed) {
  // Class "p": a = (NaN, 5) and b = (1, 3) in the numerics; k = 1. A point seeded at the NaN row
  // keeps NaN, one seeded at 5 whose neighbour is NaN copies 5; y always interpolates in [1, 3].
  const Table data({Column::float64("x", {std::nan(""), 5.0, 0.0, 1.0, 2.0}),
                    Column::float64("y", {1.0, 3.0, 10.0, 11.0, 12.0}),
                    Column::categorical("cls", {0, 0, 1, 1, 1}, {"p", "q"})});
  auto s = fit_over(OversamplingKind::smote, data, "cls", {{"smote_neighbors", 1}});
  const Table out = draw(*s, 400);
  size_t nan_x = 0, p_rows = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) {
    if (out.column("cls").codes[i] != 0) continue;
    ++p_rows;
    const double x = out.column("x").f64[i], y = out.column("y").f64[i];
    if (std::isnan(x)) {
      ++nan_x;
    } else {
      EXPECT_EQ(x, 5.0);
    }
    EXPECT_GE(y, 1.0);
    EXPECT_LE(y, 3.0);
  }
  EXPECT_EQ(p_rows, 200u);
  EXPECT_GT(nan_x, 50u);
  EXPECT_LT(nan_x, p_rows - 50);
}

TEST(Oversampling, SameSeedSameOutputAnyThreads) {
  const Table data = numeric_classes();
  for (auto kind : {OversamplingKind::smote, OversamplingKind::adasyn})
    for (bool synthetic_only : {false, true}) {
      auto s = fit_over(kind, data, "cls", {{"synthetic_only", synthetic_only}});
      for (size_t n : {50u, 9000u}) expect_same_cells(draw(*s, n, 1), draw(*s, n, 2));
    }
}

TEST(Oversampling, SaveLoadRoundTripSamplesIdentically) {
  // Mixed features with a missing value, an id column and a rare class.
  Rng rng(12, 0);
  std::vector<double> x;
  std::vector<int64_t> count, id;
  std::vector<int32_t> colour, cls;
  for (int i = 0; i < 60; ++i) {
    x.push_back(i == 7 ? std::nan("") : rng.normal());
    count.push_back(static_cast<int64_t>(rng.below(40)));
    id.push_back(1000 + i);
    colour.push_back(static_cast<int32_t>(rng.below(3)));
    cls.push_back(i < 50 ? 0 : (i < 58 ? 1 : 2));
  }
  const Table data({Column::int64("id", id), Column::float64("x", x), Column::int64("count", count),
                    Column::categorical("colour", colour, {"r", "g", "b"}),
                    Column::categorical("cls", cls, {"a", "b", "c"})});
  for (const std::string method : {"smote", "adasyn"}) {
    auto fitted = fit_over(method == "smote" ? OversamplingKind::smote : OversamplingKind::adasyn,
                           data, "cls", {{"synthetic_only", method == "adasyn"}});
    ArchiveWriter w;
    fitted->save(w);
    auto loaded = method_registry().get(method).create();
    ArchiveReader r(w.data(), "test");
    loaded->load(r);
    EXPECT_TRUE(r.at_end());
    for (size_t n : {20u, 500u}) {
      const SampleContext ctx{33, 2, quiet(), nullptr};
      expect_same_cells(fitted->sample(n, ctx), loaded->sample(n, ctx));
    }
    // The other method's payload is refused.
    auto other = method_registry().get(method == "smote" ? "adasyn" : "smote").create();
    ArchiveReader r2(w.data(), "test");
    EXPECT_THROW(other->load(r2), DataError);
  }
}

TEST(Smote, IntegerFeaturesKeepTheirStorageAndRoundTheInterpolation) {
  // Class "a": 0, 10, ..., 110; class "b": -5, -15, ..., -115 (24 distinct values, so the column
  // is numeric; k = 1: neighbours are 10 apart). Synthetic values are whole numbers inside each
  // class's range, mostly between the real values.
  std::vector<int64_t> v;
  std::vector<int32_t> cls;
  for (int i = 0; i < 12; ++i) {
    v.push_back(10 * i);
    cls.push_back(0);
  }
  for (int i = 0; i < 12; ++i) {
    v.push_back(-5 - 10 * i);
    cls.push_back(1);
  }
  const Table data({Column::int64("v", v), Column::categorical("cls", cls, {"a", "b"})});
  auto s = fit_over(OversamplingKind::smote, data, "cls", {{"k_neighbors", 1}});
  const Table out = draw(*s, 400);
  ASSERT_EQ(out.column("v").type, StorageType::int64);
  EXPECT_TRUE(out.column("v").valid.empty());
  size_t between = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) {
    const int64_t x = out.column("v").i64[i];
    if (i < v.size()) {
      EXPECT_EQ(x, v[i]);
    }
    if (out.column("cls").codes[i] == 0) {
      EXPECT_GE(x, 0);
      EXPECT_LE(x, 110);
    } else {
      EXPECT_GE(x, -115);
      EXPECT_LE(x, -5);
    }
    between += x % 5 != 0;
  }
  EXPECT_GT(between, 200u);
}

// The KD-tree's answer is exact and tie-broken by index: on a small integer grid (many equal
// distances, exact duplicates) plus far outliers, every row's neighbours equal a brute-force sort
// by (squared distance, index) of the other rows, for any thread count.
TEST(Knn, MatchesBruteForceOnTiesDuplicatesAndOutliers) {
  const size_t rows = 1500, dim = 3;
  Rng rng(5, 0);
  std::vector<double> pts(rows * dim);
  for (double& v : pts) v = static_cast<double>(rng.below(5));
  for (size_t d = 0; d < dim; ++d) {
    pts[7 * dim + d] = 1000.0;  // outliers stretch the root cell
    pts[8 * dim + d] = -400.0 * static_cast<double>(d);
  }
  const KnnIndex index(pts, rows, dim);
  std::vector<uint32_t> all(rows);
  for (size_t i = 0; i < rows; ++i) all[i] = static_cast<uint32_t>(i);
  for (size_t k : {1u, 5u, 40u}) {
    const std::vector<uint32_t> got = index.neighbours_of_many(all, k, 1);
    EXPECT_EQ(got, index.neighbours_of_many(all, k, 3)) << "k=" << k;
    std::vector<std::pair<double, uint32_t>> order;
    for (size_t i = 0; i < rows; ++i) {
      order.clear();
      for (size_t j = 0; j < rows; ++j) {
        if (j == i) continue;
        double d2 = 0;
        for (size_t d = 0; d < dim; ++d)
          d2 += (pts[i * dim + d] - pts[j * dim + d]) * (pts[i * dim + d] - pts[j * dim + d]);
        order.push_back({d2, static_cast<uint32_t>(j)});
      }
      std::partial_sort(order.begin(), order.begin() + static_cast<long>(k), order.end());
      for (size_t j = 0; j < k; ++j)
        ASSERT_EQ(got[i * k + j], order[j].second) << "row " << i << " k=" << k << " rank " << j;
    }
  }
}

// With no coordinates every point is equally near: the next k rows around, never itself.
TEST(Knn, ZeroDimensionsTakesTheNextRows) {
  const KnnIndex index({}, 4, 0);
  uint32_t out[3];
  index.neighbours_of(2, 3, out);
  EXPECT_EQ(out[0], 3u);
  EXPECT_EQ(out[1], 0u);
  EXPECT_EQ(out[2], 1u);
}
