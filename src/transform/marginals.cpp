// Family names, the sorted sample summary, the Kolmogorov-Smirnov distance and the automatic
// choice of a marginal (Patki et al. 2016 choose by KS statistic; we add the KS test at 5% so a
// family that does not fit falls back to the empirical CDF).
#include <algorithm>
#include <array>
#include <cmath>

#include "calm/core/error.hpp"
#include "transform/marginals_internal.hpp"

namespace calm {
namespace {

struct FamilyInfo {
  MarginalFamily family;
  const char* name;
  int parameters;  // fitted from the data, bounds included
};

// Parametric families ordered by number of parameters (the selection relies on it), then the
// empirical fallback.
constexpr std::array<FamilyInfo, 6> kFamilies = {{
    {MarginalFamily::norm, "norm", 2},
    {MarginalFamily::uniform, "uniform", 2},
    {MarginalFamily::gamma, "gamma", 3},
    {MarginalFamily::truncnorm, "truncnorm", 4},
    {MarginalFamily::beta, "beta", 4},
    {MarginalFamily::empirical, "empirical", 0},
}};

}  // namespace

const char* to_string(MarginalFamily f) {
  for (const auto& info : kFamilies)
    if (info.family == f) return info.name;
  return "?";
}

std::vector<std::string> marginal_family_names() {
  std::vector<std::string> names;
  for (const auto& info : kFamilies) names.emplace_back(info.name);
  return names;
}

std::vector<std::string> marginal_family_choices() {
  std::vector<std::string> choices = {"auto"};
  for (const auto& info : kFamilies) choices.emplace_back(info.name);
  return choices;
}

std::optional<MarginalFamily> marginal_family_choice(const std::string& choice) {
  if (choice == "auto") return std::nullopt;
  return marginal_family_from_string(choice);
}

MarginalFamily marginal_family_from_string(const std::string& name) {
  for (const auto& info : kFamilies)
    if (name == info.name) return info.family;
  throw InvalidArgument("unknown distribution '" + name +
                        "'; valid: " + join_names(marginal_family_names()));
}

UnivariateSample::UnivariateSample(std::vector<double> values) : sorted(std::move(values)) {
  std::erase_if(sorted, [](double v) { return std::isnan(v); });
  if (sorted.empty()) throw InternalError("UnivariateSample needs at least one value");
  std::sort(sorted.begin(), sorted.end());
  min = sorted.front();
  max = sorted.back();
  double sum = 0;
  for (double v : sorted) sum += v;
  mean = sum / static_cast<double>(sorted.size());
  double ss = 0;
  for (double v : sorted) ss += (v - mean) * (v - mean);
  var = ss / static_cast<double>(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (distinct.empty() || sorted[i] != distinct.back()) {
      distinct.push_back(sorted[i]);
      upto.push_back(0);
    }
    upto.back() = i + 1;
  }
}

std::unique_ptr<Marginal> fit_marginal(MarginalFamily family, const UnivariateSample& sample) {
  if (family == MarginalFamily::empirical) return fit_empirical_marginal(sample);
  return fit_parametric_marginal(family, sample);
}

double ks_distance(const Marginal& m, const UnivariateSample& s) {
  // The supremum is reached at a data value, just before or at its jump; evaluating the CDF once
  // per distinct value keeps this cheap on data with many ties.
  std::vector<double> f(s.distinct.size());
  m.cdf_many(s.distinct.data(), f.data(), f.size());
  const double n = static_cast<double>(s.n());
  double d = 0, below = 0;
  for (size_t j = 0; j < f.size(); ++j) {
    const double above = static_cast<double>(s.upto[j]) / n;
    d = std::max({d, std::fabs(f[j] - below), std::fabs(f[j] - above)});
    below = above;
  }
  return d;
}

double ks_critical_value(size_t n) {
  return 1.358 / std::sqrt(static_cast<double>(n));
}

MarginalChoice select_marginal(const UnivariateSample& sample,
                               std::optional<MarginalFamily> forced) {
  MarginalChoice choice;
  if (forced) {
    choice.marginal = fit_marginal(*forced, sample);
    return choice;
  }
  // Occam's rule: the fewest parameters the KS test does not reject; the smallest distance among
  // families of that size. Without it, four-parameter families win on normal or uniform data by
  // fitting sampling noise.
  const double critical = ks_critical_value(sample.n());
  std::unique_ptr<Marginal> best;
  double best_d = INFINITY;
  int best_size = 0;
  for (const auto& info : kFamilies) {
    if (info.family == MarginalFamily::empirical) continue;
    auto fit = fit_marginal(info.family, sample);
    const double d = ks_distance(*fit, sample);
    choice.ks.emplace_back(info.family, d);
    // kFamilies is ordered by size, so a later family can only tie on size, never be simpler.
    if (d < critical && (!best || (info.parameters == best_size && d < best_d))) {
      best = std::move(fit);
      best_d = d;
      best_size = info.parameters;
    }
  }
  if (best) {
    choice.marginal = std::move(best);
    return choice;
  }
  choice.marginal = fit_empirical_marginal(sample);
  return choice;
}

}  // namespace calm
