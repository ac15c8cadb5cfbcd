// zCDP conversions and the budget ledger (see zcdp.hpp).
#include "privacy/zcdp.hpp"

#include <cmath>
#include <stdexcept>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm::privacy {

// delta(rho, eps) = inf_{alpha > 1} exp((alpha - 1)(alpha rho - eps)) / (alpha - 1) *
// (1 - 1/alpha)^alpha (CKS 2020, Corollary 13); the log of the objective is convex in alpha, so
// bisection on its derivative (2 alpha - 1) rho - eps + log(1 - 1/alpha) finds the minimiser.
// Any alpha gives a valid bound, so an inexact search only errs on the safe side.
double zcdp_delta(double rho, double epsilon) {
  if (rho <= 0) return 0;
  double lo = 1.01, hi = (epsilon + 1) / (2 * rho) + 2;
  double alpha = lo;
  for (int i = 0; i < 1000; ++i) {
    alpha = (lo + hi) / 2;
    const double derivative = (2 * alpha - 1) * rho - epsilon + std::log1p(-1 / alpha);
    (derivative < 0 ? lo : hi) = alpha;
  }
  const double delta =
      std::exp((alpha - 1) * (alpha * rho - epsilon) + alpha * std::log1p(-1 / alpha)) /
      (alpha - 1);
  return std::min(delta, 1.0);
}

double zcdp_epsilon(double rho, double delta) {
  if (!(delta > 0 && delta < 1))
    throw InvalidArgument("delta must be in (0, 1), got " + format_double(delta));
  if (rho <= 0) return 0;
  double lo = 0, hi = rho + 2 * std::sqrt(rho * std::log(1 / delta));  // Bun-Steinke bound
  for (int i = 0; i < 1000; ++i) {
    const double mid = (lo + hi) / 2;
    (zcdp_delta(rho, mid) <= delta ? hi : lo) = mid;
  }
  return hi;
}

double zcdp_rho(double epsilon, double delta) {
  if (!(epsilon > 0) || !std::isfinite(epsilon))
    throw InvalidArgument("epsilon must be > 0, got " + format_double(epsilon));
  if (!(delta > 0 && delta < 1))
    throw InvalidArgument("delta must be in (0, 1), got " + format_double(delta));
  double lo = 0, hi = epsilon + 1;
  for (int i = 0; i < 1000; ++i) {
    const double mid = (lo + hi) / 2;
    (zcdp_delta(mid, epsilon) <= delta ? lo : hi) = mid;
  }
  return lo;
}

ZcdpLedger::ZcdpLedger(double rho_total) : total_(rho_total) {}

void ZcdpLedger::spend(double rho, const std::string& what) {
  if (spent_ + rho > total_ * (1 + 1e-9) + 1e-15)
    throw std::logic_error("zCDP budget overspent by '" + what + "': " + format_double(spent_) +
                           " + " + format_double(rho) + " > " + format_double(total_));
  spent_ += rho;
  entries_.push_back({what, rho});
}

}  // namespace calm::privacy
