// The customers table, the 2-way total-variation distance and a quiet generator shared by the DP
// method tests (test_dp_methods.cpp, test_dp_gans.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "calm/calm.hpp"

namespace calm::dp_test {

// A generator seeded with `seed` that logs nothing.
inline RealGenerator quiet(uint64_t seed, int threads) {
  GeneratorSettings s;
  s.random_state = seed;
  s.threads = threads;
  s.logger = std::make_shared<Logger>(LogLevel::quiet, nullptr);
  return RealGenerator(s);
}

// region (3 levels) -> plan (3 levels, depends on region) -> churn (bool, depends on plan);
// age ~ N(40, 10) rounded; income depends on plan; one outlier income of 1e7.
inline Table customers(size_t n, uint64_t seed = 7) {
  Rng rng(seed, 0);
  std::vector<int32_t> region(n), plan(n);
  std::vector<uint8_t> churn(n);
  std::vector<int64_t> age(n);
  std::vector<double> income(n);
  for (size_t i = 0; i < n; ++i) {
    const double u = rng.uniform();
    region[i] = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
    const double v = rng.uniform();
    const double stay = region[i] == 0 ? 0.8 : region[i] == 1 ? 0.2 : 0.5;
    plan[i] = v < stay ? region[i] : (region[i] + 1 + (v < (1 + stay) / 2 ? 0 : 1)) % 3;
    churn[i] = rng.uniform() < (plan[i] == 2 ? 0.6 : 0.1);
    age[i] = std::clamp<int64_t>(std::llround(40 + 10 * rng.normal()), 18, 90);
    income[i] = std::round((1000 + 500 * plan[i] + 100 * rng.normal()) * 100) / 100;
  }
  income[n / 2] = 1e7;
  return Table({Column::categorical("region", region, {"north", "south", "west"}),
                Column::categorical("plan", plan, {"basic", "plus", "pro"}),
                Column::boolean("churn", churn), Column::int64("age", age),
                Column::float64("income", income)});
}

// Total-variation distance between the joint distributions of two columns' texts.
inline double tvd(const Table& a, const Table& b, const std::string& x, const std::string& y) {
  std::map<std::string, double> pa, pb;
  for (size_t i = 0; i < a.num_rows(); ++i)
    pa[a.column(x).text(i) + "|" + a.column(y).text(i)] += 1.0 / a.num_rows();
  for (size_t i = 0; i < b.num_rows(); ++i)
    pb[b.column(x).text(i) + "|" + b.column(y).text(i)] += 1.0 / b.num_rows();
  double d = 0;
  for (const auto& [k, v] : pa) d += std::fabs(v - (pb.count(k) ? pb[k] : 0));
  for (const auto& [k, v] : pb)
    if (!pa.count(k)) d += v;
  return d / 2;
}

}  // namespace calm::dp_test
