// Constraints (every kind enforced on every output row, exactly n rows, formula exact, parser and
// validation errors, acceptance-rate error) and custom distributions met by the generic
// rejection route (gmm cannot condition), on one and on two columns.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "calm/calm.hpp"
#include "calm/core/rng.hpp"
#include "calm/post/constraints.hpp"
#include "post/expression.hpp"

using namespace calm;

namespace {

// price (2 decimals), quantity 1..9, total = price * quantity, low < high, a signed delta,
// a 90/10 class whose rows differ in x (common ~ N(0,1), rare ~ N(10,1)), a 70/30 flag.
Table shop_table(size_t n = 400, size_t rare_every = 10) {
  Rng rng(11, 0);
  std::vector<double> price(n), total(n), low(n), high(n), delta(n), x(n);
  std::vector<int64_t> qty(n);
  std::vector<int32_t> cls(n), region(n);
  std::vector<uint8_t> flag(n);
  for (size_t i = 0; i < n; ++i) {
    price[i] = std::round((5 + 20 * rng.uniform()) * 100) / 100;
    qty[i] = 1 + static_cast<int64_t>(rng.below(9));
    total[i] = std::round(price[i] * static_cast<double>(qty[i]) * 100) / 100;
    low[i] = 10 * rng.uniform();
    high[i] = low[i] + 0.5 + rng.uniform();
    delta[i] = rng.normal();
    cls[i] = i % rare_every == 0 ? 1 : 0;
    x[i] = (cls[i] ? 10.0 : 0.0) + rng.normal();
    region[i] = static_cast<int32_t>(i % 3);
    flag[i] = rng.uniform() < 0.3;
  }
  Column p = Column::float64("price", price), t = Column::float64("total", total);
  p.format.decimals = t.format.decimals = 2;
  return Table({p, Column::int64("quantity", qty), t, Column::float64("low", low),
                Column::float64("high", high), Column::float64("delta", delta),
                Column::float64("x", x), Column::categorical("cls", cls, {"common", "rare"}),
                Column::categorical("region", region, {"north", "south", "west"}),
                Column::boolean("flag", flag)});
}

RealGenerator generator(uint64_t seed, std::shared_ptr<Logger> log = nullptr) {
  GeneratorSettings s;
  s.random_state = seed;
  s.threads = 1;
  s.logger = log ? log : std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return RealGenerator(s);
}

GenerateOptions gmm(int64_t n, Json constraints = nullptr) {
  GenerateOptions o;
  o.n_samples = n;
  o.method = "gmm";
  o.model_params = Json{{"n_components", 3}};
  o.constraints = std::move(constraints);
  return o;
}

template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

size_t count_label(const Table& t, const std::string& col, const std::string& label) {
  size_t k = 0;
  for (size_t i = 0; i < t.num_rows(); ++i) k += t.column(col).text(i) == label;
  return k;
}

}  // namespace

TEST(Expression, EvaluatesArithmeticWithPrecedenceAndBackticks) {
  Table t({Column::float64("a", {1, 2, NAN}), Column::float64("b c", {4, 0, 1}),
           Column::boolean("f", {1, 0, 1})});
  auto e = Expression::parse("-(a + 2) * 3 / `b c` + f - 0.5", {"a", "b c", "f"});
  auto v = e.evaluate(t);
  EXPECT_DOUBLE_EQ(v[0], -(1 + 2) * 3 / 4.0 + 1 - 0.5);
  EXPECT_TRUE(std::isnan(v[1]));  // division by zero
  EXPECT_TRUE(std::isnan(v[2]));  // missing input
  EXPECT_EQ(e.columns(), (std::vector<std::string>{"a", "b c", "f"}));
}

TEST(Expression, ErrorsNameTheProblem) {
  const std::vector<std::string> cols = {"price", "quantity"};
  auto msg = [&](const std::string& s) { return error_of([&] { Expression::parse(s, cols); }); };
  EXPECT_NE(msg("pricey * 2").find("unknown column 'pricey' (columns: price, quantity"),
            std::string::npos);
  EXPECT_NE(msg("price *").find("ends early"), std::string::npos);
  EXPECT_NE(msg("(price + 1").find("missing ')'"), std::string::npos);
  EXPECT_NE(msg("price quantity").find("unexpected 'q' at position 7"), std::string::npos);
  EXPECT_NE(msg("price; rm -rf").find("unexpected ';'"), std::string::npos);
  EXPECT_NE(msg("`price").find("unclosed backtick"), std::string::npos);
}

TEST(Constraints, EveryKindHoldsOnEveryRowAndRowCountIsExact) {
  Table real = shop_table();
  Json c = Json::array({
      {{"col", "price"}, {"op", ">"}, {"val", 12.5}},
      {{"col", "region"}, {"op", "!="}, {"val", "west"}},
      {{"type", "range"}, {"col", "quantity"}, {"min", 2}, {"max", 7}},
      {{"type", "greater_than"}, {"low", "low"}, {"high", "high"}},
      {{"type", "fixed_combinations"}, {"columns", {"cls", "region"}}},
      {{"type", "unique"}, {"col", "x"}},
      {{"type", "positive"}, {"col", "delta"}},
      {{"type", "formula"}, {"col", "total"}, {"expr", "price * quantity"}},
  });
  Table out = generator(3).generate(real, gmm(300, c));
  ASSERT_EQ(out.num_rows(), 300u);
  std::set<std::string> combos, xs;
  for (size_t i = 0; i < real.num_rows(); ++i)
    combos.insert(real.column("cls").text(i) + "|" + real.column("region").text(i));
  for (size_t i = 0; i < out.num_rows(); ++i) {
    EXPECT_GT(out.column("price").f64[i], 12.5);
    EXPECT_NE(out.column("region").text(i), "west");
    EXPECT_GE(out.column("quantity").i64[i], 2);
    EXPECT_LE(out.column("quantity").i64[i], 7);
    EXPECT_GT(out.column("high").f64[i], out.column("low").f64[i]);
    EXPECT_TRUE(combos.count(out.column("cls").text(i) + "|" + out.column("region").text(i)));
    EXPECT_TRUE(xs.insert(out.column("x").text(i)).second) << "duplicate x";
    EXPECT_GE(out.column("delta").f64[i], 0.0);
    // Exact up to the column's 2 decimals (the formula result is rounded like the real data).
    EXPECT_DOUBLE_EQ(out.column("total").f64[i],
                     std::round(out.column("price").f64[i] *
                                static_cast<double>(out.column("quantity").i64[i]) * 100) /
                         100);
  }
}

TEST(Constraints, RangeClipTransformsInsteadOfRejecting) {
  Table real = shop_table();
  Json c = Json::array(
      {{{"type", "range"}, {"col", "delta"}, {"min", -0.5}, {"max", 0.5}, {"clip", true}}});
  Table out = generator(4).generate(real, gmm(400, c));
  ASSERT_EQ(out.num_rows(), 400u);
  size_t at_bound = 0;
  for (size_t i = 0; i < out.num_rows(); ++i) {
    const double d = out.column("delta").f64[i];
    EXPECT_GE(d, -0.5);
    EXPECT_LE(d, 0.5);
    at_bound += d == -0.5 || d == 0.5;
  }
  // ~62% of a N(0,1)-like column lies outside [-0.5, 0.5]: clipping, not rejection, put them there.
  EXPECT_GT(at_bound, 150u);
}

TEST(Constraints, ImpossibleConstraintReportsAcceptanceRate) {
  Table real = shop_table();
  double max_price = 0;
  for (double p : real.column("price").f64) max_price = std::max(max_price, p);
  Json c = Json::array({{{"col", "price"}, {"op", ">"}, {"val", max_price + 1}}});
  std::string msg = error_of([&] { generator(5).generate(real, gmm(100, c)); });
  EXPECT_NE(msg.find("could not generate 100 rows satisfying the constraints"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("acceptance rate 0%"), std::string::npos) << msg;
  EXPECT_THROW(generator(5).generate(real, gmm(100, c)), DataError);
  // A unique categorical column cannot give more rows than it has labels: fails before fitting.
  Json u = Json::array({{{"type", "unique"}, {"col", "region"}}});
  EXPECT_NE(error_of([&] { generator(5).generate(real, gmm(10, u)); }).find("3 possible values"),
            std::string::npos);
}

TEST(Constraints, ValidationErrorsListValidChoices) {
  Table real = shop_table(50);
  auto msg = [&](Json c) {
    return error_of([&] { ConstraintSet::parse(Json::array({c}), real); });
  };
  EXPECT_NE(msg({{"type", "between"}, {"col", "x"}}).find("valid types: compare, range"),
            std::string::npos);
  EXPECT_NE(msg({{"col", "x"}, {"op", "=>"}, {"val", 1}}).find("valid ops: >, >=, <, <=, ==, !="),
            std::string::npos);
  EXPECT_NE(msg({{"col", "nope"}, {"op", ">"}, {"val", 1}})
                .find("unknown column 'nope'; columns are: price"),
            std::string::npos);
  EXPECT_NE(msg({{"col", "cls"}, {"op", ">"}, {"val", "rare"}}).find("only == and !="),
            std::string::npos);
  EXPECT_NE(msg({{"col", "cls"}, {"op", "=="}, {"val", "epic"}}).find("known values: common, rare"),
            std::string::npos);
  EXPECT_NE(msg({{"type", "range"}, {"col", "x"}, {"mn", 0}}).find("unknown key 'mn'"),
            std::string::npos);
  EXPECT_NE(msg({{"type", "formula"}, {"col", "total"}, {"expr", "price * qty"}})
                .find("unknown column 'qty'"),
            std::string::npos);
  EXPECT_NE(msg({{"type", "formula"}, {"col", "total"}, {"expr", "total + 1"}})
                .find("unknown column 'total'"),
            std::string::npos);
  EXPECT_THROW(ConstraintSet::parse(Json{{"col", "x"}}, real), InvalidArgument);
  // Invalid constraints fail before anything is fitted.
  EXPECT_THROW(generator(1).generate(real, gmm(10, Json::array({{{"type", "magic"}}}))),
               InvalidArgument);
}

TEST(Constraints, WarnsWhenTheRealDataViolatesThem) {
  std::vector<std::string> warnings;
  auto log = std::make_shared<Logger>(LogLevel::warning, [&](LogLevel l, const std::string& m) {
    if (l == LogLevel::warning) warnings.push_back(m);
  });
  Table real = shop_table();
  Json c = Json::array({{{"type", "positive"}, {"col", "delta"}}});
  Table out = generator(6, log).generate(real, gmm(200, c));
  EXPECT_EQ(out.num_rows(), 200u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("real rows violate it"), std::string::npos) << warnings[0];
}

TEST(CustomDistributions, GenericRouteMeetsSharesAndKeepsClassConditionals) {
  Table real = shop_table(600);  // cls: 10% rare, and rare rows have x ~ N(10, 1)
  GenerateOptions o = gmm(1000);
  o.custom_distributions = Json{{"cls", {{"common", 0.5}, {"rare", 0.5}}}};
  Table out = generator(7).generate(real, o);
  ASSERT_EQ(out.num_rows(), 1000u);
  // Targets are apportioned exactly: 500 of each, not just within sampling noise.
  EXPECT_EQ(count_label(out, "cls", "rare"), 500u);
  double rare_x = 0, common_x = 0;
  for (size_t i = 0; i < out.num_rows(); ++i)
    (out.column("cls").text(i) == "rare" ? rare_x : common_x) += out.column("x").f64[i];
  EXPECT_NEAR(rare_x / 500, 10.0, 0.5);
  EXPECT_NEAR(common_x / 500, 0.0, 0.5);
  // balance_target is "balanced" on target_col.
  GenerateOptions b = gmm(600);
  b.target_col = "region";
  b.balance_target = true;
  Table bal = generator(7).generate(real, b);
  for (const char* r : {"north", "south", "west"}) EXPECT_EQ(count_label(bal, "region", r), 200u);
}

TEST(CustomDistributions, TwoColumnsGetProductTargets) {
  Table real = shop_table(600);
  GenerateOptions o = gmm(800);
  o.custom_distributions =
      Json{{"cls", {{"common", 0.5}, {"rare", 0.5}}}, {"flag", {{"True", 0.25}, {"False", 0.75}}}};
  Table out = generator(8).generate(real, o);
  ASSERT_EQ(out.num_rows(), 800u);
  std::map<std::string, size_t> cells;
  for (size_t i = 0; i < out.num_rows(); ++i)
    ++cells[out.column("cls").text(i) + "/" + out.column("flag").text(i)];
  EXPECT_EQ(cells["rare/True"], 100u);
  EXPECT_EQ(cells["rare/False"], 300u);
  EXPECT_EQ(cells["common/True"], 100u);
  EXPECT_EQ(cells["common/False"], 300u);
}

TEST(CustomDistributions, RareClassFallsBackToItsOwnModel) {
  Table real = shop_table(2000, 250);  // 8 rare rows: 0.4% < 1/200 of the model's output
  GenerateOptions o = gmm(400);
  o.model_params = Json{{"n_components", 1}};
  o.custom_distributions = Json{{"cls", {{"common", 0.5}, {"rare", 0.5}}}};
  Table out = generator(9).generate(real, o);
  ASSERT_EQ(out.num_rows(), 400u);
  EXPECT_EQ(count_label(out, "cls", "rare"), 200u);
  double rare_x = 0;
  for (size_t i = 0; i < out.num_rows(); ++i)
    if (out.column("cls").text(i) == "rare") rare_x += out.column("x").f64[i];
  EXPECT_NEAR(rare_x / 200, 10.0, 1.0);  // drawn from the rare rows' own model
}

TEST(CustomDistributions, ConditioningMethodWithConstraintsKeepsExactCounts) {
  Table real = shop_table(600);
  GenerateOptions o;
  o.n_samples = 500;
  o.method = "resample";
  o.custom_distributions = Json{{"cls", {{"common", 0.3}, {"rare", 0.7}}}};
  o.constraints = Json::array({{{"col", "price"}, {"op", "<"}, {"val", 15}}});
  Table out = generator(10).generate(real, o);
  ASSERT_EQ(out.num_rows(), 500u);
  EXPECT_EQ(count_label(out, "cls", "rare"), 350u);
  for (size_t i = 0; i < out.num_rows(); ++i) EXPECT_LT(out.column("price").f64[i], 15);
  // Same seed, same output.
  Table again = generator(10).generate(real, o);
  for (size_t i = 0; i < out.num_rows(); ++i)
    ASSERT_EQ(out.column("x").text(i), again.column("x").text(i));
}
