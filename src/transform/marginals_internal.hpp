// Shared plumbing of the marginal families (src/transform/marginals*.cpp only): the block-loop
// base that devirtualises per-cell calls, and the per-family factories.
#pragma once

#include <memory>

#include "transform/marginals.hpp"

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

std::unique_ptr<Marginal> fit_parametric_marginal(MarginalFamily family,
                                                  const UnivariateSample& sample);
std::unique_ptr<Marginal> fit_empirical_marginal(const UnivariateSample& sample);

}  // namespace calm
