// The parametric marginal families and their fits: normal (moments = MLE), truncated normal on
// the observed range (MLE of mu, sigma by Nelder-Mead on the sufficient statistics), beta on
// [min, max] and gamma shifted to the minimum (method of moments), uniform on [min, max].
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "transform/marginals_internal.hpp"
#include "transform/marginals_math.hpp"
#include "transform/normal_scores.hpp"

namespace calm {
namespace {

using Params = std::vector<std::pair<std::string, double>>;

class NormalMarginal final : public BlockMarginal<NormalMarginal> {
 public:
  NormalMarginal(double mu, double sigma) : mu_(mu), sigma_(sigma) {}
  MarginalFamily family() const override { return MarginalFamily::norm; }
  double cdf(double x) const override { return normal_cdf((x - mu_) / sigma_); }
  double ppf(double u) const override { return mu_ + sigma_ * normal_ppf(u); }
  Params parameters() const override { return {{"mu", mu_}, {"sigma", sigma_}}; }

 private:
  double mu_, sigma_;
};

class UniformMarginal final : public BlockMarginal<UniformMarginal> {
 public:
  UniformMarginal(double lo, double hi) : lo_(lo), hi_(hi) {}
  MarginalFamily family() const override { return MarginalFamily::uniform; }
  double cdf(double x) const override { return std::clamp((x - lo_) / (hi_ - lo_), 0.0, 1.0); }
  double ppf(double u) const override { return lo_ + std::clamp(u, 0.0, 1.0) * (hi_ - lo_); }
  Params parameters() const override { return {{"low", lo_}, {"high", hi_}}; }

 private:
  double lo_, hi_;
};

// Normal restricted to [lo, hi]. When the whole range lies above the mean, the upper-tail
// probabilities are used instead, so that no precision is lost to 1 - tiny.
class TruncNormalMarginal final : public BlockMarginal<TruncNormalMarginal> {
 public:
  TruncNormalMarginal(double mu, double sigma, double lo, double hi)
      : mu_(mu), sigma_(sigma), lo_(lo), hi_(hi) {
    const double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
    upper_ = a > 0;
    base_ = upper_ ? normal_cdf(-a) : normal_cdf(a);
    mass_ = upper_ ? normal_cdf(-a) - normal_cdf(-b) : normal_cdf(b) - normal_cdf(a);
  }
  MarginalFamily family() const override { return MarginalFamily::truncnorm; }
  double cdf(double x) const override {
    if (x <= lo_) return 0.0;
    if (x >= hi_) return 1.0;
    const double t = (x - mu_) / sigma_;
    const double p = upper_ ? base_ - normal_cdf(-t) : normal_cdf(t) - base_;
    return std::clamp(p / mass_, 0.0, 1.0);
  }
  double ppf(double u) const override {
    u = std::clamp(u, 0.0, 1.0);
    const double t = upper_ ? -normal_ppf(base_ - u * mass_) : normal_ppf(base_ + u * mass_);
    return std::clamp(mu_ + sigma_ * t, lo_, hi_);
  }
  Params parameters() const override {
    return {{"mu", mu_}, {"sigma", sigma_}, {"low", lo_}, {"high", hi_}};
  }
  bool valid() const { return mass_ > 0 && std::isfinite(mass_); }

 private:
  double mu_, sigma_, lo_, hi_;
  bool upper_;
  double base_, mass_;
};

class BetaMarginal final : public BlockMarginal<BetaMarginal> {
 public:
  BetaMarginal(double a, double b, double loc, double scale)
      : a_(a),
        b_(b),
        loc_(loc),
        scale_(scale),
        f_(a, b),
        grid_([this](double p, double lo, double hi, double x0) { return f_.ppf(p, lo, hi, x0); },
              0.0, 1.0) {}
  MarginalFamily family() const override { return MarginalFamily::beta; }
  double cdf(double x) const override { return f_.cdf((x - loc_) / scale_); }
  double ppf(double u) const override {
    if (!(u > 0 && u < 1)) return loc_ + scale_ * (u > 0 ? 1.0 : 0.0);
    const auto s = grid_.start(u);
    return loc_ + scale_ * f_.ppf(u, s.lo, s.hi, s.x0);
  }
  Params parameters() const override {
    return {{"a", a_}, {"b", b_}, {"loc", loc_}, {"scale", scale_}};
  }

 private:
  double a_, b_, loc_, scale_;
  BetaFunction f_;
  QuantileGrid grid_;
};

class GammaMarginal final : public BlockMarginal<GammaMarginal> {
 public:
  GammaMarginal(double shape, double loc, double scale)
      : k_(shape),
        loc_(loc),
        scale_(scale),
        f_(shape),
        grid_([this](double p, double lo, double hi, double x0) { return f_.ppf(p, lo, hi, x0); },
              0.0, INFINITY) {}
  MarginalFamily family() const override { return MarginalFamily::gamma; }
  double cdf(double x) const override { return f_.cdf((x - loc_) / scale_); }
  double ppf(double u) const override {
    if (!(u > 0 && u < 1)) return u > 0 ? INFINITY : loc_;
    const auto s = grid_.start(u);
    return loc_ + scale_ * f_.ppf(u, s.lo, s.hi, s.x0);
  }
  Params parameters() const override { return {{"shape", k_}, {"loc", loc_}, {"scale", scale_}}; }

 private:
  double k_, loc_, scale_;
  GammaFunction f_;
  QuantileGrid grid_;
};

// Shape parameters are kept where the special functions stay fast and accurate.
double clamp_shape(double s) {
  return std::isfinite(s) ? std::clamp(s, 1e-3, 1e6) : 1e6;
}

// Negative mean log-likelihood of a normal truncated to [lo, hi]; depends on the data only via
// its mean and (population) variance.
double truncnorm_nll(double mu, double log_sigma, const UnivariateSample& s) {
  const double sigma = std::exp(log_sigma);
  const double a = (s.min - mu) / sigma, b = (s.max - mu) / sigma;
  const double mass = a > 0 ? normal_cdf(-a) - normal_cdf(-b) : normal_cdf(b) - normal_cdf(a);
  if (!(mass > 0)) return std::numeric_limits<double>::infinity();
  const double d = s.mean - mu;
  return log_sigma + (s.var + d * d) / (2 * sigma * sigma) + std::log(mass);
}

// Nelder-Mead (reflection, expansion, contraction, shrink) on (mu, log sigma).
std::array<double, 2> fit_truncnorm(const UnivariateSample& s) {
  const double sd = std::sqrt(s.var);
  using P = std::array<double, 2>;
  std::array<P, 3> x = {P{s.mean, std::log(sd)}, P{s.mean + 0.2 * sd, std::log(sd)},
                        P{s.mean, std::log(sd) + 0.2}};
  std::array<double, 3> f;
  auto eval = [&](const P& p) { return truncnorm_nll(p[0], p[1], s); };
  for (int i = 0; i < 3; ++i) f[i] = eval(x[i]);
  for (int it = 0; it < 400; ++it) {
    std::array<int, 3> o = {0, 1, 2};
    std::sort(o.begin(), o.end(), [&](int i, int j) { return f[i] < f[j]; });
    const P best = x[o[0]], mid = x[o[1]], worst = x[o[2]];
    const double fb = f[o[0]], fm = f[o[1]], fw = f[o[2]];
    if (std::fabs(fw - fb) < 1e-13 * (1 + std::fabs(fb)) &&
        std::fabs(worst[0] - best[0]) < 1e-9 * (sd + std::fabs(best[0])))
      break;
    const P c = {(best[0] + mid[0]) / 2, (best[1] + mid[1]) / 2};
    auto along = [&](double t) {
      return P{c[0] + t * (worst[0] - c[0]), c[1] + t * (worst[1] - c[1])};
    };
    P r = along(-1.0);
    double fr = eval(r);
    if (fr < fb) {
      P e = along(-2.0);
      double fe = eval(e);
      x[o[2]] = fe < fr ? e : r;
      f[o[2]] = std::min(fe, fr);
    } else if (fr < fm) {
      x[o[2]] = r;
      f[o[2]] = fr;
    } else {
      P k = fr < fw ? along(-0.5) : along(0.5);
      double fk = eval(k);
      if (fk < std::min(fr, fw)) {
        x[o[2]] = k;
        f[o[2]] = fk;
      } else {
        for (int j : {o[1], o[2]}) {
          x[j] = P{(x[j][0] + best[0]) / 2, (x[j][1] + best[1]) / 2};
          f[j] = eval(x[j]);
        }
      }
    }
  }
  const int b = static_cast<int>(std::min_element(f.begin(), f.end()) - f.begin());
  return {x[b][0], std::exp(x[b][1])};
}

}  // namespace

std::unique_ptr<Marginal> fit_parametric_marginal(MarginalFamily family,
                                                  const UnivariateSample& s) {
  if (!(s.max > s.min)) throw InternalError("marginal fit needs two distinct values");
  const double range = s.max - s.min;
  switch (family) {
    case MarginalFamily::norm:
      return std::make_unique<NormalMarginal>(s.mean, std::sqrt(s.var));
    case MarginalFamily::uniform:
      return std::make_unique<UniformMarginal>(s.min, s.max);
    case MarginalFamily::truncnorm: {
      auto [mu, sigma] = fit_truncnorm(s);
      auto m = std::make_unique<TruncNormalMarginal>(mu, sigma, s.min, s.max);
      if (m->valid()) return m;
      return std::make_unique<TruncNormalMarginal>(s.mean, std::sqrt(s.var), s.min, s.max);
    }
    case MarginalFamily::beta: {
      const double m = (s.mean - s.min) / range, v = s.var / (range * range);
      double common = m * (1 - m) / v - 1.0;
      if (!(common > 0)) common = 1e-3;
      return std::make_unique<BetaMarginal>(clamp_shape(m * common), clamp_shape((1 - m) * common),
                                            s.min, range);
    }
    case MarginalFamily::gamma: {
      const double m = s.mean - s.min;
      return std::make_unique<GammaMarginal>(clamp_shape(m * m / s.var), s.min, s.var / m);
    }
    case MarginalFamily::empirical:
      break;
  }
  throw InternalError("fit_parametric_marginal: not a parametric family");
}

}  // namespace calm
