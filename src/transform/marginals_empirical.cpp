// The smoothed empirical marginal: the CDF through the plotting positions (x_(i), (i - 0.5) / n)
// of the order statistics, linear in between. A value seen c times is an atom: its c positions
// collapse into one jump of height (c - 1) / n, so every u in the jump maps back to exactly that
// value (ties survive sampling) and cdf() of the value is the jump's midpoint (its mid-rank).
#include <algorithm>
#include <cmath>

#include "transform/marginals_internal.hpp"

namespace calm {
namespace {

class EmpiricalMarginal final : public BlockMarginal<EmpiricalMarginal> {
 public:
  explicit EmpiricalMarginal(const UnivariateSample& s) : values_(s.distinct) {
    const double n = static_cast<double>(s.n());
    lo_.resize(values_.size());
    hi_.resize(values_.size());
    size_t before = 0;
    for (size_t j = 0; j < values_.size(); ++j) {
      lo_[j] = (static_cast<double>(before) + 0.5) / n;
      hi_[j] = (static_cast<double>(s.upto[j]) - 0.5) / n;
      before = s.upto[j];
    }
  }

  MarginalFamily family() const override { return MarginalFamily::empirical; }

  double cdf(double x) const override {
    if (x < values_.front()) return 0.0;
    if (x > values_.back()) return 1.0;
    const size_t j = std::upper_bound(values_.begin(), values_.end(), x) - values_.begin() - 1;
    if (x == values_[j]) return 0.5 * (lo_[j] + hi_[j]);
    const double t = (x - values_[j]) / (values_[j + 1] - values_[j]);
    return hi_[j] + t * (lo_[j + 1] - hi_[j]);
  }

  double ppf(double u) const override {
    const auto it = std::upper_bound(lo_.begin(), lo_.end(), u);
    if (it == lo_.begin()) return values_.front();
    const size_t j = it - lo_.begin() - 1;
    if (u <= hi_[j] || j + 1 == values_.size()) return values_[j];
    const double t = (u - hi_[j]) / (lo_[j + 1] - hi_[j]);
    return values_[j] + t * (values_[j + 1] - values_[j]);
  }

  std::vector<std::pair<std::string, double>> parameters() const override {
    return {{"points", static_cast<double>(values_.size())},
            {"low", values_.front()},
            {"high", values_.back()}};
  }

 private:
  std::vector<double> values_;   // distinct values, increasing
  std::vector<double> lo_, hi_;  // each value's range of u
};

}  // namespace

std::unique_ptr<Marginal> fit_empirical_marginal(const UnivariateSample& sample) {
  return std::make_unique<EmpiricalMarginal>(sample);
}

}  // namespace calm
