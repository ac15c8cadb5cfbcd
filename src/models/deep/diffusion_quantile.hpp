// The quantile transform to normal scores that TabDDPM applies to every numeric column before
// Gaussian diffusion (Kotelnikov et al. 2023, section 4: scikit-learn's QuantileTransformer with
// output_distribution="normal"). The CDF is piecewise linear through up to 1000 empirical quantiles
// at equally spaced probabilities (scikit-learn's default count; the paper's code uses n / 30,
// coarser on small tables); a value tied with several quantiles maps to the middle of their
// probabilities. Scores come from Phi^-1 with probabilities clipped to [1e-7, 1 - 1e-7].
// Unlike the empirical marginal of transform/marginals it keeps a bounded summary (the quantiles),
// which is what a saved model stores.
#pragma once

#include <vector>

#include "calm/core/archive.hpp"

namespace calm {

class QuantileNormal {
 public:
  // The non-missing values (NaN skipped; at least one needed).
  void fit(const std::vector<double>& values, size_t max_quantiles = 1000);
  double to_score(double x) const;
  double from_score(double z) const;

  void save(ArchiveWriter& out) const { out.f64s(quantiles_); }
  void load(ArchiveReader& in);

 private:
  std::vector<double> quantiles_;  // at probabilities k / (size - 1), non-decreasing
};

}  // namespace calm
