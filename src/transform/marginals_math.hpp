// Special functions behind the parametric marginals: the regularised incomplete gamma and beta
// functions (series and modified-Lentz continued fractions, as laid out in Press et al.,
// "Numerical Recipes", 3rd ed., sections 6.2 and 6.4) and their inverses (safeguarded Newton).
#pragma once

#include <functional>

namespace calm {

// P(a, x) = gamma(a, x) / Gamma(a), a > 0, x >= 0.
double gamma_p(double a, double x);
// Density of Gamma(shape a, scale 1) at x.
double gamma_pdf(double a, double x);
// x with P(a, x) = p, p in [0, 1].
double gamma_p_inv(double a, double p);

// I_x(a, b), a, b > 0, x in [0, 1].
double beta_i(double a, double b, double x);
// Density of Beta(a, b) at x.
double beta_pdf(double a, double b, double x);
// x with I_x(a, b) = p, p in [0, 1].
double beta_i_inv(double a, double b, double p);

// Root of cdf(x) = p for an increasing cdf with density pdf inside the bracket [lo, hi]: Newton
// steps, falling back to bisection whenever a step leaves the bracket.
double invert_cdf(const std::function<double(double)>& cdf, const std::function<double(double)>& pdf,
                  double p, double lo, double hi, double x0);

}  // namespace calm
