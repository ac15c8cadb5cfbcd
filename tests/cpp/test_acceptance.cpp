// Issue acceptance checks on the real datasets (../shared/datasets; skipped when absent).
// Issue acceptance on real data: custom_distributions {"churn": {"Yes": 0.5, "No": 0.5}} on
// telco_churn (26% churn) with cart, gaussian_copula and resample, 10k rows: shares within 2 points
// and, within each class, the synthetic rows close to the real rows of that class (calm's
// SDMetrics-equivalent evaluator on the class subsets). Per-class quality floors were set from
// measurements (cart .986/.987, resample .987/.991, gaussian_copula .839/.867) minus a margin.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "calm/calm.hpp"
#include "calm/eval/quality.hpp"

using namespace calm;

namespace {

std::vector<int64_t> rows_of_class(const Table& t, const std::string& label) {
  const Column& c = t.column("churn");
  std::vector<int64_t> rows;
  for (size_t i = 0; i < t.num_rows(); ++i)
    if (!c.is_missing(i) && c.text(i) == label) rows.push_back(static_cast<int64_t>(i));
  return rows;
}

}  // namespace

TEST(AcceptanceTelco, CustomDistributionMetAndClassConditionalsKept) {
  const std::string path = std::string(CALM_DATASETS_DIR) + "/telco_churn.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "needs ../shared/datasets";
  Table real = read_csv(path);
  const std::vector<std::pair<std::string, double>> methods = {
      {"cart", 0.95}, {"resample", 0.95}, {"gaussian_copula", 0.80}};
  for (const auto& [method, floor] : methods) {
    GeneratorSettings s;
    s.random_state = 11;
    s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
    GenerateOptions o;
    o.n_samples = 10000;
    o.method = method;
    o.target_col = "churn";
    o.custom_distributions = Json{{"churn", {{"Yes", 0.5}, {"No", 0.5}}}};
    Table syn = RealGenerator(s).generate(real, o);
    ASSERT_EQ(syn.num_rows(), 10000u);
    for (const std::string label : {"Yes", "No"}) {
      auto syn_rows = rows_of_class(syn, label);
      EXPECT_NEAR(static_cast<double>(syn_rows.size()) / 10000.0, 0.5, 0.02)
          << method << " " << label;
      Table real_class = real.take_rows(rows_of_class(real, label));
      Table syn_class = syn.take_rows(syn_rows);
      QualityOptions q;
      q.diagnostic = false;
      auto report = evaluate_quality(real_class, syn_class, infer_schema(real_class), q);
      ASSERT_TRUE(report.overall.has_value());
      EXPECT_GE(*report.overall, floor) << method << " class " << label;
    }
  }
}

// Issue acceptance: 10k rows of credit_data with an inequality between columns
// (Expenses < Income) and a formula constraint have zero violations; an impossible constraint
// fails fast with the acceptance rate in the message.
TEST(AcceptanceCredit, ConstraintsHoldOnTenThousandRowsAndImpossibleOnesFailFast) {
  const std::string path = std::string(CALM_DATASETS_DIR) + "/credit_data.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "needs ../shared/datasets";
  Table real = read_csv(path);
  GeneratorSettings s;
  s.random_state = 5;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  GenerateOptions o;
  o.n_samples = 10000;
  o.method = "cart";
  o.constraints = Json::array({{{"type", "greater_than"}, {"low", "Expenses"}, {"high", "Income"}},
                               {{"type", "formula"}, {"col", "Price"}, {"expr", "Amount * 1.25"}}});
  Table syn = RealGenerator(s).generate(real, o);
  ASSERT_EQ(syn.num_rows(), 10000u);
  const Column &e = syn.column("Expenses"), &inc = syn.column("Income"),
               &amount = syn.column("Amount"), &price = syn.column("Price");
  size_t violations = 0;
  for (size_t i = 0; i < syn.num_rows(); ++i) {
    if (!e.is_missing(i) && !inc.is_missing(i) && !(inc.numeric(i) > e.numeric(i))) ++violations;
    if (!amount.is_missing(i) && !price.is_missing(i) &&
        std::abs(price.numeric(i) - std::round(amount.numeric(i) * 1.25)) > 0.5)
      ++violations;
  }
  EXPECT_EQ(violations, 0u);
  o.n_samples = 100;
  o.constraints = Json::array({{{"col", "Amount"}, {"op", ">"}, {"val", 1e9}}});
  try {
    RealGenerator(s).generate(real, o);
    FAIL() << "an impossible constraint must fail";
  } catch (const DataError& err) {
    EXPECT_NE(std::string(err.what()).find("acceptance rate"), std::string::npos) << err.what();
  }
}
