// Univariate marginal distributions of numeric columns, as used by copula models (Sklar 1959:
// any joint distribution is its marginals plus a copula; Patki et al. 2016, "The Synthetic Data
// Vault", fit each column's marginal from a small set of families and pick one by goodness of fit).
// Families: normal, truncated normal (bounds = observed range, mu/sigma by maximum likelihood),
// beta (on [min, max], method of moments), gamma (shifted to the minimum, method of moments),
// uniform(min, max), and a smoothed empirical CDF for data no family fits. The automatic choice is
// the Kolmogorov-Smirnov rule in select_marginal().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calm {

enum class MarginalFamily { norm, truncnorm, beta, gamma, uniform, empirical };
const char* to_string(MarginalFamily f);
// Throws InvalidArgument listing the valid names.
MarginalFamily marginal_family_from_string(const std::string& name);
std::vector<std::string> marginal_family_names();
// "auto" (the Kolmogorov-Smirnov choice) followed by every family: the choices of each method's
// default_distribution parameter.
std::vector<std::string> marginal_family_choices();
// One of those choices as the family it forces: nullopt for "auto"; InvalidArgument otherwise as
// marginal_family_from_string.
std::optional<MarginalFamily> marginal_family_choice(const std::string& choice);

// The non-missing values of one column, sorted, with the summaries every fit needs.
struct UnivariateSample {
  explicit UnivariateSample(std::vector<double> values);  // drops NaN; needs >= 1 value left
  std::vector<double> sorted;
  std::vector<double> distinct;  // increasing
  std::vector<size_t> upto;      // upto[j] = number of values <= distinct[j]
  double mean = 0, var = 0;      // population variance
  double min = 0, max = 0;
  size_t n() const { return sorted.size(); }
};

class Marginal {
 public:
  virtual ~Marginal() = default;
  virtual MarginalFamily family() const = 0;
  virtual double cdf(double x) const = 0;
  virtual double ppf(double u) const = 0;
  // Block forms for hot loops: one virtual call per block, not per cell.
  virtual void cdf_many(const double* x, double* u, size_t n) const = 0;
  virtual void ppf_many(const double* u, double* x, size_t n) const = 0;
  // Named parameters, for reports ("mu", "sigma", ...).
  virtual std::vector<std::pair<std::string, double>> parameters() const = 0;
  std::string name() const { return to_string(family()); }
};

// Fits one family to the sample (which must hold at least two distinct values).
std::unique_ptr<Marginal> fit_marginal(MarginalFamily family, const UnivariateSample& sample);

// Kolmogorov-Smirnov distance sup |F(x) - F_n(x)| between a marginal and the sample.
double ks_distance(const Marginal& m, const UnivariateSample& sample);
// Asymptotic 5% critical value of the one-sample KS test, 1.358 / sqrt(n).
double ks_critical_value(size_t n);

struct MarginalChoice {
  std::unique_ptr<Marginal> marginal;
  // KS distance of every parametric candidate tried (empty when the family was forced).
  std::vector<std::pair<MarginalFamily, double>> ks;
};

// Without `forced`: among the parametric families that pass the KS test at 5%, those with the
// fewest parameters (norm, uniform: 2; gamma: 3; truncnorm, beta: 4), and of these the one with
// the smallest KS distance; the empirical marginal when every family is rejected.
// With `forced`: that family.
MarginalChoice select_marginal(const UnivariateSample& sample,
                               std::optional<MarginalFamily> forced = std::nullopt);

}  // namespace calm
