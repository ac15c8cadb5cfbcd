// Fit, encode and decode of the Table <-> encoded-rows bridge of the deep methods.
#include "models/deep/deep_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "transform/normal_scores.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void DeepTable::fit(const Table& data, const Schema& schema, const DeepTableOptions& options) {
  layout_ = MixedLayout::fit(data, schema, /*standardize=*/true);
  names_ = data.column_names();
  const size_t n = data.num_rows(), p = layout_.numerics().size();
  std::vector<double> numeric = layout_.numeric_matrix(data);
  marginals_.clear();
  marginals_.resize(p);
  if (options.copula) {
    for (size_t j = 0; j < p; ++j) {
      std::vector<double> column(n);
      for (size_t i = 0; i < n; ++i) column[i] = numeric[i * p + j];
      UnivariateSample sample(column);
      marginals_[j] = select_marginal(sample, options.family).marginal;
      for (size_t i = 0; i < n; ++i) {
        double& v = numeric[i * p + j];
        if (!std::isnan(v)) v = normal_score(marginals_[j]->cdf(v));
      }
    }
  }
  std::vector<size_t> levels;
  for (const auto& d : layout_.discretes()) levels.push_back(d.levels.size());
  encoder_.fit(numeric.data(), p, levels, n, options.modes);
}

std::vector<double> DeepTable::encode(const Table& data, Rng& rng) const {
  const size_t n = data.num_rows(), p = layout_.numerics().size();
  std::vector<double> numeric = layout_.numeric_matrix(data);
  for (size_t j = 0; j < p; ++j)
    if (marginals_[j])
      for (size_t i = 0; i < n; ++i) {
        double& v = numeric[i * p + j];
        if (!std::isnan(v)) v = normal_score(marginals_[j]->cdf(v));
      }
  const std::vector<int32_t> codes = layout_.discrete_codes(data);
  return encoder_.transform(numeric.data(), codes.data(), n, ModeChoice::sample, &rng);
}

Table DeepTable::decode(const std::vector<double>& encoded, size_t n) const {
  const size_t p = layout_.numerics().size();
  std::vector<double> numeric(n * p);
  std::vector<int32_t> codes(n * layout_.discretes().size());
  encoder_.inverse(encoded.data(), n, numeric.data(), codes.data());
  for (size_t j = 0; j < p; ++j)
    if (marginals_[j])
      for (size_t i = 0; i < n; ++i) {
        double& v = numeric[i * p + j];
        if (!std::isnan(v)) v = marginals_[j]->ppf(normal_cdf(v));
      }
  for (double& v : numeric)
    if (!std::isfinite(v)) v = kNaN;
  return layout_.build(n, numeric, codes);
}

std::optional<size_t> DeepTable::discrete_feature(const std::string& name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) return std::nullopt;
  const int f = layout_.discrete_of_column(static_cast<size_t>(it - names_.begin()));
  if (f < 0) return std::nullopt;
  return static_cast<size_t>(f);
}

}  // namespace calm
