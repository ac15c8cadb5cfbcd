// `smote` and `adasyn`: the SMOTE segment property (checked exactly against a brute-force k-NN),
// SMOTE-NC categorical votes, ADASYN density ratios and seeding, class mix (balanced and
// requested), the missing-target error, degenerate inputs and thread-count independence.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "calm/calm.hpp"
#include "models/oversampling/oversampler.hpp"

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

}  // namespace

TEST(Smote, EveryNumericPointLiesOnASegmentToOneOfItsKNearestSameClassNeighbours) {
  const Table data = numeric_classes();
  auto s = fit_over(OversamplingKind::smote, data, "cls", {{"k_neighbors", 5}});
  const Table out = draw(*s, 300);
  ASSERT_EQ(out.num_rows(), 300u);
  const auto counts = class_counts(out, "cls");
  EXPECT_EQ(counts.at(0), 100u);
  EXPECT_EQ(counts.at(1), 100u);
  EXPECT_EQ(counts.at(2), 100u);
  const auto knn = brute_knn(data, 5);
  for (size_t r = 0; r < out.num_rows(); ++r) {
    const double pa = out.column("a").f64[r], pb = out.column("b").f64[r];
    bool found = false;
    for (size_t i = 0; i < data.num_rows() && !found; ++i) {
      if (data.column("cls").codes[i] != out.column("cls").codes[r]) continue;
      const double ia = data.column("a").f64[i], ib = data.column("b").f64[i];
      for (size_t j : knn[i]) {
        const double da = data.column("a").f64[j] - ia, db = data.column("b").f64[j] - ib;
        // The same gap u in [0, 1] must explain both coordinates (to rounding).
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
  // Within class "x" the colour is always red, within "y" mostly blue: SMOTE-NC votes must keep
  // red for every x row; y rows vote among their neighbours and stay in {red, blue}.
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
  size_t y_blue = 0, y_rows = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) {
    const int32_t c = out.column("colour").codes[i];
    EXPECT_NE(c, 1) << "green never occurs";
    if (out.column("cls").codes[i] == 0) {
      EXPECT_EQ(c, 0);
    } else {
      ++y_rows;
      y_blue += c == 2;
    }
  }
  // 80% of y rows are blue, so most neighbourhoods vote blue.
  EXPECT_GT(static_cast<double>(y_blue) / static_cast<double>(y_rows), 0.8);
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
  const auto& ratio = a->density_ratios(1);
  ASSERT_EQ(ratio.size(), 20u);
  for (size_t r = 10; r < 20; ++r) EXPECT_EQ(ratio[r], 0.0) << "isolated row " << r;
  double mixed = 0;
  for (size_t r = 0; r < 10; ++r) mixed += ratio[r];
  EXPECT_GT(mixed / 10, 0.5);

  auto count_far = [](const Table& out) {
    size_t far = 0;
    for (size_t i = 0; i < out.num_rows(); ++i)
      far += out.column("cls").codes[i] == 1 && out.column("v").f64[i] > 50;
    return far;
  };
  // ADASYN never seeds from the isolated rows (weight 0), and their same-class neighbours are
  // each other, so no minority point lands near 100; plain SMOTE puts about half there.
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
      EXPECT_NE(std::string(e.what()).find("needs target_col"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(method), std::string::npos) << e.what();
    }
    EXPECT_TRUE(Registry::global().get(method).needs_target);
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

TEST(Oversampling, DegenerateClassesAndColumns) {
  // Class "one" has one row, "few" three rows (k = 5 -> 2), "many" 30; a constant column; a
  // categorical-only feature set besides it.
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
    for (size_t i = 0; i < out.num_rows(); ++i) {
      EXPECT_EQ(out.column("konst").f64[i], 7.5);
      if (out.column("cls").codes[i] == 0) {
        EXPECT_EQ(out.column("colour").codes[i], 0);
      }
      EXPECT_GE(out.column("colour").codes[i], 0);
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
  EXPECT_GT(nan_x, 50u);
  EXPECT_LT(nan_x, p_rows - 50);
}

TEST(Oversampling, SameSeedSameOutputAnyThreads) {
  const Table data = numeric_classes();
  for (auto kind : {OversamplingKind::smote, OversamplingKind::adasyn}) {
    auto s = fit_over(kind, data, "cls");
    const Table a = draw(*s, 9000, 1), b = draw(*s, 9000, 2);
    for (size_t c = 0; c < a.num_columns(); ++c)
      for (size_t i = 0; i < a.num_rows(); ++i) ASSERT_EQ(a.column(c).text(i), b.column(c).text(i));
  }
}
