// The privacy accountants and mechanisms against published numbers and exact distributions:
// - DpAccounting: the RDP accountant of DP-SGD (privacy/rdp.hpp) against Opacus's RDP accountant,
//   the plain Gaussian's closed form, monotonicity and the noise-multiplier search; the zCDP
//   conversions (privacy/zcdp.hpp) against the cdp2adp code of Canonne, Kamath & Steinke (2020)
//   that MST and AIM use.
// - DpMechanisms: statistical tests of the exact samplers and mechanisms (privacy/exact_noise.hpp,
//   privacy/mechanisms.hpp) over 200k seeded draws against their exact distributions.
//
// Significance levels (all seeds are fixed, so every run draws the same numbers):
// - chi-square goodness of fit: pass when the p-value is above 1e-4, i.e. the statistic is below
//   the 0.9999 quantile of its chi-square distribution (bins pooled to expected counts >= 5);
// - variances: pass when the empirical variance is within 5 standard errors of the exact one
//   (standard error sqrt((mu4 - var^2) / n) from the exact fourth moment), a two-sided level of
//   about 6e-7 under normality. With 200k draws, a variance 5% off is more than 15 standard errors
//   away; the *DetectsAFivePercentError tests check on the same draws that it would fail.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "privacy/exact_noise.hpp"
#include "privacy/mechanisms.hpp"
#include "privacy/rdp.hpp"
#include "privacy/zcdp.hpp"

using namespace calm;
using namespace calm::privacy;

namespace {

constexpr size_t kDraws = 200000;
constexpr double kChiSquareLevel = 1e-4;  // smallest accepted p-value
constexpr double kVarianceSigmas = 5;     // accepted distance in standard errors

template <typename Fn>
std::string invalid_argument_of(Fn&& fn) {
  try {
    fn();
  } catch (const InvalidArgument& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception: ") + e.what();
  }
  return "no error";
}

#define EXPECT_INVALID(call, text)                                          \
  do {                                                                      \
    const std::string message = invalid_argument_of([&] { (void)(call); }); \
    EXPECT_NE(message.find(text), std::string::npos) << message;            \
  } while (0)

// Regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a): the series of P(a, x) below
// x = a + 1, the continued fraction of Q (modified Lentz) above (Abramowitz & Stegun 6.5.29,
// 6.5.31).
double gamma_q(double a, double x) {
  if (x <= 0) return 1;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1) {
    double term = 1 / a, sum = term;
    for (int n = 1; n < 100000 && std::fabs(term) > 1e-17 * std::fabs(sum); ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * std::exp(log_prefix);
  }
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-16) break;
  }
  return std::exp(log_prefix) * h;
}

// p-value of Pearson's chi-square statistic with `df` degrees of freedom.
double chi_square_p(double statistic, int df) {
  return gamma_q(df / 2.0, statistic / 2);
}

// Pearson's chi-square p-value of integer draws against a pmf on the integers (unimodal around
// 0, summing to 1): one bin per value with an expected count >= 5 ([-k, k] around the mode, k
// the largest such), the two tails pooled into the outermost bins (their expected counts are >= 5
// too).
double integer_fit_p(const std::vector<int64_t>& draws, const std::function<double(int64_t)>& pmf) {
  const double n = static_cast<double>(draws.size());
  int64_t k = 0;
  while (n * pmf(k + 1) >= 5 && n * pmf(-(k + 1)) >= 5) ++k;
  std::map<int64_t, double> observed;
  for (int64_t x : draws) observed[std::clamp<int64_t>(x, -k, k)] += 1;
  double inner = 0;
  for (int64_t x = -k + 1; x <= k - 1; ++x) inner += pmf(x);
  double left_tail = 0;  // P(X <= -k)
  for (int64_t x = -k; pmf(x) > 0 && x > -100000; --x) left_tail += pmf(x);
  const double right_tail = 1 - inner - left_tail;  // P(X >= k)
  double statistic = 0;
  for (int64_t x = -k; x <= k; ++x) {
    const double expected = n * (x == -k ? left_tail : x == k ? right_tail : pmf(x));
    const double o = observed.count(x) ? observed[x] : 0;
    statistic += (o - expected) * (o - expected) / expected;
  }
  return chi_square_p(statistic, static_cast<int>(2 * k));  // 2k + 1 bins
}

// Pearson's chi-square p-value of category counts against probabilities.
double category_fit_p(const std::vector<double>& counts, const std::vector<double>& probs) {
  double n = 0;
  for (double c : counts) n += c;
  double statistic = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const double expected = n * probs[i];
    statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return chi_square_p(statistic, static_cast<int>(counts.size()) - 1);
}

// Mean, variance and fourth central moment of a pmf symmetric about 0, summed over [-m, m].
struct Moments {
  double variance, mu4;
};
Moments moments(const std::function<double(int64_t)>& pmf, int64_t m) {
  double var = 0, mu4 = 0;
  for (int64_t x = -m; x <= m; ++x) {
    const double p = pmf(x), x2 = static_cast<double>(x * x);
    var += x2 * p;
    mu4 += x2 * x2 * p;
  }
  return {var, mu4};
}

double sample_variance(const std::vector<int64_t>& draws) {
  double mean = 0;
  for (int64_t x : draws) mean += static_cast<double>(x);
  mean /= static_cast<double>(draws.size());
  double ss = 0;
  for (int64_t x : draws) ss += (x - mean) * (x - mean);
  return ss / static_cast<double>(draws.size() - 1);
}

// |empirical - exact variance| in standard errors of the empirical variance.
double variance_z(const std::vector<int64_t>& draws, const Moments& m) {
  const double se =
      std::sqrt((m.mu4 - m.variance * m.variance) / static_cast<double>(draws.size()));
  return std::fabs(sample_variance(draws) - m.variance) / se;
}

// The discrete Gaussian's pmf exp(-x^2 / (2 sigma2)) / Z, Z summed over |x| <= 40 sigma + 40.
std::function<double(int64_t)> discrete_gaussian_pmf(double sigma2) {
  const int64_t m = static_cast<int64_t>(40 * std::sqrt(sigma2)) + 40;
  double z = 0;
  for (int64_t x = -m; x <= m; ++x) z += std::exp(-static_cast<double>(x * x) / (2 * sigma2));
  return
      [sigma2, z](int64_t x) { return std::exp(-static_cast<double>(x * x) / (2 * sigma2)) / z; };
}

// The discrete Laplace's pmf exp(-|x| / b) (1 - e^{-1/b}) / (1 + e^{-1/b}).
std::function<double(int64_t)> discrete_laplace_pmf(double b) {
  const double r = std::exp(-1 / b);
  return [b, r](int64_t x) {
    return std::exp(-std::fabs(static_cast<double>(x)) / b) * (1 - r) / (1 + r);
  };
}

template <typename Sampler>
std::vector<int64_t> draws_of(const Sampler& sampler, uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<int64_t> out(kDraws);
  for (auto& x : out) x = sampler(rng);
  return out;
}

// Opacus's default orders (RDPAccountant.DEFAULT_ALPHAS).
const std::vector<double> kOrders = default_rdp_orders();

}  // namespace

// ---------------------------------------------------------------------------------------------
// RDP accountant

TEST(DpAccounting, DefaultOrdersAreOpacusOrders) {
  ASSERT_EQ(kOrders.size(), 99u + 52u);
  EXPECT_DOUBLE_EQ(kOrders.front(), 1.1);
  EXPECT_DOUBLE_EQ(kOrders[98], 10.9);
  EXPECT_DOUBLE_EQ(kOrders[99], 12);
  EXPECT_DOUBLE_EQ(kOrders.back(), 63);
}

// Reference values: Opacus 1.4's RDP accountant formula (opacus/accountants/analysis/rdp.py at
// tag v1.4.0: compute_rdp + get_privacy_spent, unchanged up to 1.5.4), run with numpy 2.4.6 and
// scipy 1.17.1 on 2026-12-07.
TEST(DpAccounting, PerStepRdpMatchesOpacus) {
  struct Case {
    double q, sigma, alpha, rdp;
  };
  const Case cases[] = {
      {0.01, 1.1, 1.5, 9.554528557684942e-05},   {0.01, 1.1, 2.0, 0.00012851008160514807},
      {0.01, 1.1, 3.7, 0.0002452877227407896},   {0.01, 1.1, 10.0, 0.0008075821730220518},
      {0.01, 1.1, 32.0, 8.469416433675926},      {0.01, 1.1, 63.0, 21.353610726767897},
      {0.004, 0.7, 1.5, 7.776244833434574e-05},  {0.004, 0.7, 2.0, 0.00010714449678932324},
      {0.004, 0.7, 3.7, 0.00023513578991478943}, {0.004, 0.7, 10.0, 4.069127975707123},
      {0.004, 0.7, 32.0, 26.95348866411587},     {0.004, 0.7, 63.0, 58.6751975465962},
      {0.2, 2.0, 1.5, 0.00828143317305129},      {0.2, 2.0, 2.0, 0.011296964989239926},
      {0.2, 2.0, 3.7, 0.02273191948674557},      {0.2, 2.0, 10.0, 0.09784245743693407},
      {0.2, 2.0, 32.0, 2.3404354195333688},      {0.2, 2.0, 63.0, 6.239604165690358},
  };
  for (const Case& c : cases)
    EXPECT_NEAR(sampled_gaussian_rdp(c.q, c.sigma, c.alpha), c.rdp, 1e-6 * c.rdp)
        << "q " << c.q << " sigma " << c.sigma << " alpha " << c.alpha;
}

// Same source as above (default orders). The first is Abadi et al.'s (CCS 2016) MNIST setting
// (lot 600 of 60000, sigma 1.1, 100 epochs); the second Opacus's MNIST example (batch 256, 60
// epochs of 235 steps).
TEST(DpAccounting, EpsilonMatchesOpacus) {
  struct Case {
    double q, sigma;
    int64_t steps;
    double delta, epsilon, order;
  };
  const Case cases[] = {
      {0.01, 1.1, 10000, 1e-5, 5.63199236854841, 4.7},
      {256.0 / 60000, 1.0, 60 * 235, 1e-5, 3.0831704287613912, 7.1},
      {0.004, 0.7, 1000, 1e-5, 2.8298802425328895, 4.9},
      {0.02, 0.8, 500, 1e-6, 6.164547278809111, 4.0},
      {0.1, 2.0, 100, 1e-5, 2.5805688086608938, 7.6},
      {0.001, 0.6, 20000, 1e-5, 3.860441514137926, 4.2},
      {0.5, 5.0, 50, 1e-5, 3.3087322851541194, 6.8},
  };
  for (const Case& c : cases) {
    const RdpEpsilon e = dpsgd_epsilon(c.q, c.sigma, c.steps, c.delta);
    EXPECT_NEAR(e.epsilon, c.epsilon, 1e-3) << "q " << c.q << " sigma " << c.sigma;
    EXPECT_DOUBLE_EQ(e.order, c.order) << "q " << c.q << " sigma " << c.sigma;
  }
}

// The example of Opacus's rdp.py docstring: two mechanisms composed, orders 2..32, delta 1e-5
// gives (0.336, 23); the formula computed 0.33634406339259565 (same source as above).
TEST(DpAccounting, ComposedCurveMatchesOpacusDocExample) {
  std::vector<double> orders, rdp;
  for (int a = 2; a <= 32; ++a) {
    orders.push_back(a);
    rdp.push_back(10 * sampled_gaussian_rdp(1e-5, 1.0, a) + 4 * sampled_gaussian_rdp(1e-4, 3.0, a));
  }
  const RdpEpsilon e = rdp_to_epsilon(orders, rdp, 1e-5);
  EXPECT_NEAR(e.epsilon, 0.33634406339259565, 1e-6);
  EXPECT_EQ(e.order, 23);
}

// q = 1 is the Gaussian mechanism: RDP alpha / (2 sigma^2) (Mironov 2017, Proposition 7), and the
// epsilon is the Balle et al. conversion of steps times that, minimised over the orders.
TEST(DpAccounting, FullBatchIsThePlainGaussian) {
  for (double sigma : {0.5, 1.0, 3.0})
    for (double alpha : {1.5, 2.0, 7.3, 40.0})
      EXPECT_DOUBLE_EQ(sampled_gaussian_rdp(1, sigma, alpha), alpha / (2 * sigma * sigma));
  const double sigma = 4, delta = 1e-6;
  const int64_t steps = 20;
  double best = std::numeric_limits<double>::infinity();
  for (double a : kOrders)
    best = std::min(best, steps * a / (2 * sigma * sigma) -
                              (std::log(delta) + std::log(a)) / (a - 1) + std::log((a - 1) / a));
  EXPECT_NEAR(dpsgd_epsilon(1, sigma, steps, delta).epsilon, best, 1e-12);
  // The series of both orders' kinds approach the closed form as q -> 1.
  for (double alpha : {2.0, 2.5, 10.0, 10.5})
    EXPECT_NEAR(sampled_gaussian_rdp(1 - 1e-9, 1.5, alpha), alpha / (2 * 1.5 * 1.5), 1e-6 * alpha)
        << alpha;
  // No sampling, no loss.
  EXPECT_EQ(sampled_gaussian_rdp(0, 1.0, 2.5), 0);
  EXPECT_EQ(sampled_gaussian_rdp(0, 1.0, 3), 0);
}

// At a small q, A_alpha = 1 + alpha (alpha - 1) / 2 q^2 (e^{1/sigma^2} - 1) + O(q^3) (Mironov et
// al. 2019, Section 3.3), so the RDP is alpha q^2 (e^{1/sigma^2} - 1) / 2 to first order: both
// kinds of orders (binomial sum, erfc series) agree with it.
TEST(DpAccounting, SmallSamplingRateIsQuadratic) {
  const double q = 1e-4, sigma = 4;
  for (double alpha : {2.0, 2.5, 3.0, 3.5, 8.0, 8.5}) {
    const double approx = alpha * q * q * std::expm1(1 / (sigma * sigma)) / 2;
    EXPECT_NEAR(sampled_gaussian_rdp(q, sigma, alpha), approx, 1e-3 * approx) << alpha;
  }
  // Continuity across integer orders (the two series meet).
  EXPECT_NEAR(sampled_gaussian_rdp(0.05, 1.2, 5.0), sampled_gaussian_rdp(0.05, 1.2, 5.0 + 1e-7),
              1e-6 * sampled_gaussian_rdp(0.05, 1.2, 5.0));
}

TEST(DpAccounting, EpsilonGrowsWithStepsAndFallsWithNoise) {
  double previous = 0;
  for (int64_t steps : {1, 10, 100, 1000, 10000}) {
    const double e = dpsgd_epsilon(0.01, 1.1, steps, 1e-5).epsilon;
    EXPECT_GT(e, previous) << steps;
    previous = e;
  }
  previous = std::numeric_limits<double>::infinity();
  for (double sigma : {0.6, 0.8, 1.0, 1.5, 3.0, 10.0}) {
    const double e = dpsgd_epsilon(0.01, sigma, 1000, 1e-5).epsilon;
    EXPECT_LT(e, previous) << sigma;
    previous = e;
  }
  // A smaller delta costs more epsilon; a larger sampling rate too.
  EXPECT_GT(dpsgd_epsilon(0.01, 1.1, 1000, 1e-8).epsilon,
            dpsgd_epsilon(0.01, 1.1, 1000, 1e-5).epsilon);
  EXPECT_GT(dpsgd_epsilon(0.02, 1.1, 1000, 1e-5).epsilon,
            dpsgd_epsilon(0.01, 1.1, 1000, 1e-5).epsilon);
}

TEST(DpAccounting, NoiseMultiplierIsTheSmallestThatMeetsTheTarget) {
  struct Case {
    double q;
    int64_t steps;
    double epsilon, delta;
  };
  const Case cases[] = {{0.01, 10000, 8.0, 1e-5},
                        {0.004, 1000, 1.0, 1e-5},
                        {1.0, 10, 2.0, 1e-5},
                        {0.1, 100, 0.5, 1e-6}};
  for (const Case& c : cases) {
    const double sigma = dpsgd_noise_multiplier(c.q, c.steps, c.epsilon, c.delta);
    EXPECT_LE(dpsgd_epsilon(c.q, sigma, c.steps, c.delta).epsilon, c.epsilon) << c.q;
    EXPECT_GT(dpsgd_epsilon(c.q, sigma * (1 - 1e-3), c.steps, c.delta).epsilon, c.epsilon) << c.q;
  }
  // Inverse of the Opacus value above: the epsilon of sigma 1.1 buys sigma 1.1 back.
  EXPECT_NEAR(dpsgd_noise_multiplier(0.01, 10000, 5.63199236854841, 1e-5), 1.1, 1e-3);
}

TEST(DpAccounting, BadArgumentsAreNamed) {
  EXPECT_INVALID(dpsgd_noise_multiplier(0.01, 100, 0.0, 1e-5), "epsilon");
  EXPECT_INVALID(dpsgd_noise_multiplier(0.01, 100, -1.0, 1e-5), "-1");
  EXPECT_INVALID(dpsgd_noise_multiplier(0.01, 100, 1.0, 0.0), "delta");
  EXPECT_INVALID(dpsgd_noise_multiplier(0.01, 100, 1.0, 1.0), "delta");
  EXPECT_INVALID(dpsgd_noise_multiplier(0.0, 100, 1.0, 1e-5), "sampling rate");
  EXPECT_INVALID(dpsgd_noise_multiplier(1.5, 100, 1.0, 1e-5), "1.5");
  EXPECT_INVALID(dpsgd_noise_multiplier(0.01, 0, 1.0, 1e-5), "steps");
  // However much noise, the conversion leaves epsilon > 0.1 at delta 1e-5 on orders <= 63.
  EXPECT_INVALID(dpsgd_noise_multiplier(0.01, 100, 0.05, 1e-5), "cannot be reached");
  EXPECT_INVALID(sampled_gaussian_rdp(0.1, 1.0, 1.0), "order");
  EXPECT_INVALID(sampled_gaussian_rdp(0.1, 0.0, 2.0), "sigma");
  EXPECT_INVALID(sampled_gaussian_rdp(std::nan(""), 1.0, 2.0), "sampling rate");
  EXPECT_INVALID(dpsgd_epsilon(0.1, 1.0, 10, 2.0), "delta");
  EXPECT_INVALID(rdp_to_epsilon({2, 3}, {0.1}, 1e-5), "2 orders but 1");
}

// ---------------------------------------------------------------------------------------------
// zCDP conversions. Reference values: cdp_rho / cdp_eps of mechanisms/cdp2adp.py in
// ryan112358/private-pgm (T. Steinke's code for Canonne, Kamath & Steinke 2020, as used by MST and
// AIM), run in Python 3.11 on 2026-12-07.

TEST(DpAccounting, ZcdpRhoMatchesCdp2adp) {
  struct Case {
    double epsilon, delta, rho;
  };
  const Case cases[] = {{1.0, 1e-9, 0.014973057673588523},
                        {0.1, 1e-6, 0.0003210476903457401},
                        {3.0, 1e-5, 0.2242491682463453},
                        {10.0, 1e-9, 1.0907857043970155},
                        {0.5, 1e-3, 0.01805500592923728}};
  for (const Case& c : cases)
    EXPECT_NEAR(zcdp_rho(c.epsilon, c.delta), c.rho, 1e-3 * c.rho) << c.epsilon << " " << c.delta;
}

TEST(DpAccounting, ZcdpEpsilonMatchesCdp2adp) {
  struct Case {
    double rho, delta, epsilon;
  };
  const Case cases[] = {{0.05, 1e-6, 1.471594750532416},
                        {0.5, 1e-9, 6.4740700207264865},
                        {2.0, 1e-5, 10.724824112939174},
                        {0.001, 1e-6, 0.18289537719007626}};
  for (const Case& c : cases) {
    const double eps = zcdp_epsilon(c.rho, c.delta);
    EXPECT_NEAR(eps, c.epsilon, 1e-3 * c.epsilon) << c.rho << " " << c.delta;
    // Tighter than Bun & Steinke's rho + 2 sqrt(rho log(1/delta)).
    EXPECT_LT(eps, c.rho + 2 * std::sqrt(c.rho * std::log(1 / c.delta)));
  }
}

TEST(DpAccounting, ZcdpConversionsRoundTrip) {
  for (double rho : {1e-4, 0.01, 0.3, 2.0, 20.0})
    for (double delta : {1e-9, 1e-5, 1e-3}) {
      const double eps = zcdp_epsilon(rho, delta);
      EXPECT_NEAR(zcdp_rho(eps, delta), rho, 1e-6 * rho) << rho << " " << delta;
      EXPECT_LE(zcdp_delta(rho, eps), delta * (1 + 1e-9));
      EXPECT_NEAR(zcdp_delta(rho, eps), delta, 1e-6 * delta);
    }
  // A rho so small that it is already (0, delta)-DP: epsilon 0 (cdp_eps gives 4e-303 here), and
  // no round trip (every rho up to zcdp_rho(0+, delta) has epsilon 0).
  EXPECT_LE(zcdp_delta(1e-4, 0), 1e-2);
  EXPECT_LT(zcdp_epsilon(1e-4, 1e-2), 1e-12);
  EXPECT_EQ(zcdp_epsilon(0, 1e-5), 0);
  EXPECT_EQ(zcdp_delta(0, 1), 0);
  EXPECT_INVALID(zcdp_rho(0, 1e-5), "epsilon");
  EXPECT_INVALID(zcdp_rho(1, 0), "delta");
  EXPECT_INVALID(zcdp_epsilon(1, 1.5), "delta");
}

// ---------------------------------------------------------------------------------------------
// Mechanisms

TEST(DpMechanisms, DiscreteGaussianFollowsItsPmf) {
  for (double sigma2 : {0.3, 4.0, 37.5}) {
    const DiscreteGaussian noise(sigma2);
    EXPECT_GE(noise.sigma2(), sigma2);
    EXPECT_LE(noise.sigma2(), sigma2 * (1 + 1e-4));
    const auto draws = draws_of(noise, 11 + static_cast<uint64_t>(sigma2 * 10));
    const auto pmf = discrete_gaussian_pmf(noise.sigma2());
    const Moments m = moments(pmf, static_cast<int64_t>(40 * std::sqrt(sigma2)) + 40);
    EXPECT_LE(m.variance, noise.sigma2() * (1 + 1e-12));  // as exact_noise.hpp promises
    EXPECT_GT(integer_fit_p(draws, pmf), kChiSquareLevel) << sigma2;
    EXPECT_LT(variance_z(draws, m), kVarianceSigmas) << sigma2;
  }
}

TEST(DpMechanisms, DiscreteGaussianChecksDetectAFivePercentError) {
  const DiscreteGaussian noise(4.0);
  const auto draws = draws_of(noise, 51);
  const auto wrong = discrete_gaussian_pmf(4.0 * 1.05);
  EXPECT_LT(integer_fit_p(draws, wrong), kChiSquareLevel);
  EXPECT_GT(variance_z(draws, moments(wrong, 200)), kVarianceSigmas);
}

TEST(DpMechanisms, DiscreteLaplaceFollowsItsPmf) {
  for (double scale : {0.4, 1.5, 6.25}) {
    const DiscreteLaplace noise(scale);
    EXPECT_GE(noise.scale(), scale);
    EXPECT_LE(noise.scale(), scale + std::ldexp(1.0, -20));
    const auto draws = draws_of(noise, 21 + static_cast<uint64_t>(scale * 10));
    const auto pmf = discrete_laplace_pmf(noise.scale());
    const Moments m = moments(pmf, static_cast<int64_t>(60 * scale) + 60);
    const double r = std::exp(-1 / noise.scale());
    EXPECT_NEAR(m.variance, 2 * r / ((1 - r) * (1 - r)), 1e-9 * m.variance);
    EXPECT_GT(integer_fit_p(draws, pmf), kChiSquareLevel) << scale;
    EXPECT_LT(variance_z(draws, m), kVarianceSigmas) << scale;
  }
}

TEST(DpMechanisms, DiscreteLaplaceChecksDetectAFivePercentError) {
  const DiscreteLaplace noise(1.5);
  const auto draws = draws_of(noise, 52);
  // A scale whose variance is 5% larger.
  double b = 1.5;
  const double target = 1.05 * moments(discrete_laplace_pmf(1.5), 200).variance;
  while (moments(discrete_laplace_pmf(b), 200).variance < target) b += 1e-4;
  const auto wrong = discrete_laplace_pmf(b);
  EXPECT_LT(integer_fit_p(draws, wrong), kChiSquareLevel);
  EXPECT_GT(variance_z(draws, moments(wrong, 200)), kVarianceSigmas);
}

// gaussian_counts adds discrete Gaussian noise of exactly the sigma^2 gaussian_sigma2 reports
// (which is at least 1 / (2 rho) and exceeds it by less than the rounding); at sigma^2 >= 1 the
// discrete Gaussian's variance equals sigma^2 to within e^-19.
TEST(DpMechanisms, GaussianCountsHaveThePromisedVariance) {
  for (double rho : {0.125, 0.3}) {
    const double sigma2 = gaussian_sigma2(rho, 1);
    EXPECT_GE(sigma2, 1 / (2 * rho));
    EXPECT_LE(sigma2, 1 / (2 * rho) * (1 + 1e-4));
    std::vector<int64_t> counts(kDraws);
    for (size_t i = 0; i < kDraws; ++i) counts[i] = static_cast<int64_t>(i % 11) * 1000;
    Rng rng(61 + static_cast<uint64_t>(rho * 100), 0);
    const std::vector<double> noisy = gaussian_counts(counts, rho, 1, rng);
    std::vector<int64_t> noise(kDraws);
    for (size_t i = 0; i < kDraws; ++i) {
      noise[i] = static_cast<int64_t>(noisy[i]) - counts[i];
      ASSERT_EQ(static_cast<double>(noise[i] + counts[i]), noisy[i]);  // integer noise
    }
    const auto pmf = discrete_gaussian_pmf(sigma2);
    const Moments m = moments(pmf, 200);
    EXPECT_NEAR(m.variance, sigma2, 1e-6 * sigma2);
    EXPECT_LT(variance_z(noise, {sigma2, m.mu4}), kVarianceSigmas) << rho;
    EXPECT_GT(integer_fit_p(noise, pmf), kChiSquareLevel) << rho;
  }
  // Sensitivity 2 needs 4 times the variance.
  EXPECT_NEAR(gaussian_sigma2(0.125, 2), 4 * gaussian_sigma2(0.125, 1), 1e-3);
}

// laplace_counts at epsilon, sensitivity 1: discrete Laplace of scale b = 1/epsilon, variance
// 2 e^{-1/b} / (1 - e^{-1/b})^2.
TEST(DpMechanisms, LaplaceCountsHaveThePromisedVariance) {
  for (double epsilon : {0.5, 2.0}) {
    const double b = 1 / epsilon;
    std::vector<int64_t> counts(kDraws);
    for (size_t i = 0; i < kDraws; ++i) counts[i] = static_cast<int64_t>(i % 7) - 3;
    Rng rng(71 + static_cast<uint64_t>(epsilon * 10), 0);
    const std::vector<double> noisy = laplace_counts(counts, epsilon, 1, rng);
    std::vector<int64_t> noise(kDraws);
    for (size_t i = 0; i < kDraws; ++i) noise[i] = static_cast<int64_t>(noisy[i]) - counts[i];
    const double r = std::exp(-1 / b);
    const double variance = 2 * r / ((1 - r) * (1 - r));
    const auto pmf = discrete_laplace_pmf(b);
    const Moments m = moments(pmf, 400);
    EXPECT_NEAR(m.variance, variance, 1e-9 * variance);
    EXPECT_LT(variance_z(noise, {variance, m.mu4}), kVarianceSigmas) << epsilon;
    EXPECT_GT(integer_fit_p(noise, pmf), kChiSquareLevel) << epsilon;
  }
}

// Frequencies of the exponential mechanism against exp(epsilon s_i / (2 Delta)) / sum.
TEST(DpMechanisms, ExponentialMechanismFrequenciesMatch) {
  struct Case {
    std::vector<double> scores;
    double epsilon, sensitivity;
  };
  const Case cases[] = {{{0, 1, 2, 3.5, -1}, 1.0, 1.0},
                        {{10, 10.25, 9.5, 11, 10}, 2.0, 0.5},
                        {{0, 0, 0}, 0.1, 1.0},
                        {{-3, 40, 41, 39.5}, 1.5, 1.0}};  // first one: probability ~ e^-32
  uint64_t seed = 81;
  for (const Case& c : cases) {
    std::vector<double> weights(c.scores.size()), counts(c.scores.size(), 0);
    double total = 0;
    for (size_t i = 0; i < weights.size(); ++i)
      total += weights[i] = std::exp(c.epsilon * c.scores[i] / (2 * c.sensitivity));
    for (double& w : weights) w /= total;
    Rng rng(seed++, 0);
    for (size_t d = 0; d < kDraws; ++d)
      counts[exponential_mechanism(c.scores, c.epsilon, c.sensitivity, rng)] += 1;
    // Pool the candidates with expected counts below 5 into their neighbour for the chi-square.
    std::vector<double> pc, pw;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (kDraws * weights[i] < 5) {
        EXPECT_LE(counts[i], 2) << "candidate " << i;
        continue;
      }
      pc.push_back(counts[i]);
      pw.push_back(weights[i]);
    }
    double kept = 0;
    for (double w : pw) kept += w;
    for (double& w : pw) w /= kept;
    EXPECT_GT(category_fit_p(pc, pw), kChiSquareLevel) << "case with epsilon " << c.epsilon;
  }
  // The same test detects a mechanism that used epsilon * 1.05.
  const std::vector<double> scores = {0, 1, 2, 3.5, -1};
  std::vector<double> wrong(scores.size()), counts(scores.size(), 0);
  double total = 0;
  for (size_t i = 0; i < scores.size(); ++i) total += wrong[i] = std::exp(1.05 * scores[i] / 2);
  for (double& w : wrong) w /= total;
  Rng rng(81, 0);
  for (size_t d = 0; d < kDraws; ++d) counts[exponential_mechanism(scores, 1.0, 1.0, rng)] += 1;
  EXPECT_LT(category_fit_p(counts, wrong), kChiSquareLevel);
}

TEST(DpMechanisms, BernoulliExpFrequencyIsExpMinusGamma) {
  const Rational gammas[] = {{0, 1}, {3, 10}, {1, 1}, {17, 10}, {5, 1}, {1, 3}};
  uint64_t seed = 91;
  for (const Rational& g : gammas) {
    Rng rng(seed++, 0);
    double hits = 0;
    for (size_t d = 0; d < kDraws; ++d) hits += bernoulli_exp(g, rng) ? 1 : 0;
    const double p = std::exp(-static_cast<double>(g.num) / static_cast<double>(g.den));
    if (g.num == 0) {
      EXPECT_EQ(hits, kDraws);
      continue;
    }
    EXPECT_GT(category_fit_p({hits, kDraws - hits}, {p, 1 - p}), kChiSquareLevel)
        << static_cast<double>(g.num) / static_cast<double>(g.den);
  }
  // Detects a 5% error in the probability at gamma = 1.
  Rng rng(93, 0);
  double hits = 0;
  for (size_t d = 0; d < kDraws; ++d) hits += bernoulli_exp({1, 1}, rng) ? 1 : 0;
  const double p = std::exp(-1.0) * 1.05;
  EXPECT_LT(category_fit_p({hits, kDraws - hits}, {p, 1 - p}), kChiSquareLevel);
}

TEST(DpMechanisms, BadArgumentsAreNamed) {
  Rng rng(1, 0);
  EXPECT_INVALID(exponential_mechanism({1, 2}, 0.0, 1.0, rng), "epsilon");
  EXPECT_INVALID(exponential_mechanism({1, 2}, -1.0, 1.0, rng), "epsilon");
  EXPECT_INVALID(exponential_mechanism({}, 1.0, 1.0, rng), "no candidates");
  EXPECT_INVALID(exponential_mechanism({1, std::nan(""), 2}, 1.0, 1.0, rng), "finite");
  EXPECT_INVALID(exponential_mechanism({1, 2}, 1.0, 0.0, rng), "sensitivity");
  EXPECT_INVALID(gaussian_counts({1, 2}, 0.0, 1.0, rng), "rho");
  EXPECT_INVALID(gaussian_sigma2(-0.5, 1.0), "rho");
  EXPECT_INVALID(laplace_counts({1, 2}, 0.0, 1.0, rng), "epsilon");
  EXPECT_INVALID(laplace_counts({1, 2}, 1.0, -1.0, rng), "L1 sensitivity");
  EXPECT_INVALID(DiscreteGaussian(0.0), "sigma^2");
  EXPECT_INVALID(DiscreteGaussian(std::nan("")), "sigma^2");
  EXPECT_INVALID(DiscreteLaplace(-2.0), "scale");
}
