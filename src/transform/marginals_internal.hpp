// Shared plumbing of the marginal families (src/transform/marginals*.cpp only): the block-loop
// base that devirtualises per-cell calls, and the per-family factories.
#pragma once

#include <array>
#include <cmath>
#include <memory>

#include "transform/marginals.hpp"
#include "transform/normal_scores.hpp"

namespace calm {

// Derived must be final, so that the calls below bind statically and inline.
template <typename Derived>
class BlockMarginal : public Marginal {
 public:
  void cdf_many(const double* x, double* u, size_t n) const override {
    const auto& self = static_cast<const Derived&>(*this);
    for (size_t i = 0; i < n; ++i) u[i] = self.Derived::cdf(x[i]);
  }
  void ppf_many(const double* u, double* x, size_t n) const override {
    const auto& self = static_cast<const Derived&>(*this);
    for (size_t i = 0; i < n; ++i) x[i] = self.Derived::ppf(u[i]);
  }
};

// Quantiles of a distribution tabulated on a grid of normal scores z in [-6, 6] (the range of
// clipped copula scores), so that each later quantile is a short Newton polish inside a tight
// bracket instead of a search from scratch.
class QuantileGrid {
 public:
  struct Start {
    double lo, hi, x0;  // bracket and linearly interpolated start
  };

  // ppf(u, lo, hi, x0) solves cdf(x) = u inside [lo, hi]; each grid point starts from the last.
  template <typename Ppf>
  QuantileGrid(const Ppf& ppf, double domain_lo, double domain_hi)
      : domain_lo_(domain_lo), domain_hi_(domain_hi) {
    double prev = domain_lo;
    for (int k = 0; k < kPoints; ++k) {
      x_[k] = ppf(normal_cdf(kLow + kStep * k), prev, domain_hi, NAN);
      prev = x_[k];
    }
  }

  Start start(double u) const {
    const double t = (normal_ppf(u) - kLow) / kStep;
    if (!(t >= 0)) return {domain_lo_, x_[0], NAN};
    if (t >= kPoints - 1) return {x_[kPoints - 1], domain_hi_, NAN};
    const int k = static_cast<int>(t);
    return {x_[k], x_[k + 1], x_[k] + (t - k) * (x_[k + 1] - x_[k])};
  }

 private:
  static constexpr int kPoints = 241;
  static constexpr double kLow = -6.0, kStep = 0.05;
  double domain_lo_, domain_hi_;
  std::array<double, kPoints> x_;
};

std::unique_ptr<Marginal> fit_parametric_marginal(MarginalFamily family,
                                                  const UnivariateSample& sample);
std::unique_ptr<Marginal> fit_empirical_marginal(const UnivariateSample& sample);

}  // namespace calm
