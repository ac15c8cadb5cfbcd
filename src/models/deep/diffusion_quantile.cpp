// Quantile transform to normal scores (TabDDPM's numeric preprocessing, Kotelnikov et al. 2023),
// linear-interpolated percentiles as numpy's default.
#include "models/deep/diffusion_quantile.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "transform/normal_scores.hpp"

namespace calm {
namespace {

constexpr double kClip = 1e-7;  // scikit-learn's BOUNDS_THRESHOLD

}  // namespace

void QuantileNormal::fit(const std::vector<double>& values, size_t max_quantiles) {
  std::vector<double> v;
  for (double x : values)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) throw InternalError("QuantileNormal::fit on a column without values");
  std::sort(v.begin(), v.end());
  const size_t q = std::max<size_t>(2, std::min(max_quantiles, v.size()));
  quantiles_.resize(q);
  for (size_t k = 0; k < q; ++k) {
    const double pos =
        static_cast<double>(k) / static_cast<double>(q - 1) * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    quantiles_[k] = v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  }
}

double QuantileNormal::to_score(double x) const {
  if (std::isnan(x)) return x;
  const auto step = 1.0 / static_cast<double>(quantiles_.size() - 1);
  const auto a = static_cast<size_t>(std::lower_bound(quantiles_.begin(), quantiles_.end(), x) -
                                     quantiles_.begin());
  const auto b = static_cast<size_t>(std::upper_bound(quantiles_.begin(), quantiles_.end(), x) -
                                     quantiles_.begin());
  double u;
  if (a < b) {  // x equals quantiles a .. b-1
    u = 0.5 * static_cast<double>(a + b - 1) * step;
  } else if (a == 0) {
    u = 0;
  } else if (a == quantiles_.size()) {
    u = 1;
  } else {  // quantiles[a-1] < x < quantiles[a]
    const double t = (x - quantiles_[a - 1]) / (quantiles_[a] - quantiles_[a - 1]);
    u = (static_cast<double>(a - 1) + t) * step;
  }
  return normal_ppf(std::clamp(u, kClip, 1 - kClip));
}

double QuantileNormal::from_score(double z) const {
  if (std::isnan(z)) return z;
  const double pos =
      std::clamp(normal_cdf(z), 0.0, 1.0) * static_cast<double>(quantiles_.size() - 1);
  const auto lo = std::min(static_cast<size_t>(std::floor(pos)), quantiles_.size() - 2);
  const double t = pos - static_cast<double>(lo);
  return quantiles_[lo] + t * (quantiles_[lo + 1] - quantiles_[lo]);
}

void QuantileNormal::load(ArchiveReader& in) {
  quantiles_ = in.f64s();
  if (quantiles_.size() < 2 || !std::is_sorted(quantiles_.begin(), quantiles_.end()))
    throw DataError("diffusion: corrupt quantile transform in the model file");
}

}  // namespace calm
