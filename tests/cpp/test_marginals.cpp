// Univariate building blocks of the copula models: Phi / Phi^-1, incomplete gamma / beta,
// the marginal families (round trips, parameter recovery, KS selection) and frequency intervals.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "transform/marginals.hpp"
#include "transform/marginals_math.hpp"
#include "transform/normal_scores.hpp"

using namespace calm;

namespace {

std::vector<double> draw(size_t n, uint64_t seed, double (*fn)(Rng&)) {
  Rng rng(seed, 0);
  std::vector<double> v(n);
  for (auto& x : v) x = fn(rng);
  return v;
}

double param(const Marginal& m, const std::string& name) {
  for (const auto& [k, v] : m.parameters())
    if (k == name) return v;
  ADD_FAILURE() << "no parameter " << name << " in " << m.name();
  return NAN;
}

}  // namespace

TEST(NormalScores, PhiInverseMatchesReferenceValues) {
  // Reference: scipy.stats.norm.ppf.
  EXPECT_NEAR(normal_ppf(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_ppf(0.1), -1.2815515655446004, 1e-14);
  EXPECT_NEAR(normal_ppf(1e-20), -9.262340089798409, 1e-12);
  EXPECT_NEAR(normal_ppf(1e-9), -5.9978070150076865, 1e-13);
  EXPECT_EQ(normal_ppf(0.5), 0.0);
  EXPECT_TRUE(std::isinf(normal_ppf(0.0)) && normal_ppf(0.0) < 0);
  EXPECT_TRUE(std::isnan(normal_ppf(1.5)));
  for (double u = 1e-6; u < 1; u += 0.0137)
    EXPECT_NEAR(normal_cdf(normal_ppf(u)), u, 1e-15 + 1e-13 * u) << u;
  EXPECT_NEAR(normal_score(0.0), normal_ppf(kScoreClip), 1e-15);
}

TEST(SpecialFunctions, IncompleteGammaAndBetaMatchReference) {
  // Reference: scipy.special.gammainc / betainc.
  EXPECT_NEAR(gamma_p(2.5, 1.7), 0.36143007689620493, 1e-13);
  EXPECT_NEAR(gamma_p(0.3, 5.0), 0.9993486812492816, 1e-13);
  EXPECT_NEAR(gamma_p(50, 45), 0.24680203440017026, 1e-12);
  EXPECT_NEAR(beta_i(2, 5, 0.3), 0.5798250000000003, 1e-13);
  EXPECT_NEAR(beta_i(0.5, 0.7, 0.9), 0.8837889567707928, 1e-13);
  EXPECT_NEAR(beta_i(30, 40, 0.45), 0.6447480085585666, 1e-12);
  for (double p : {1e-8, 0.01, 0.3, 0.5, 0.9, 0.999999}) {
    EXPECT_NEAR(gamma_p(0.4, gamma_p_inv(0.4, p)), p, 1e-12);
    EXPECT_NEAR(gamma_p(7.0, gamma_p_inv(7.0, p)), p, 1e-12);
    EXPECT_NEAR(beta_i(0.6, 3.0, beta_i_inv(0.6, 3.0, p)), p, 1e-12);
    EXPECT_NEAR(beta_i(9.0, 2.0, beta_i_inv(9.0, 2.0, p)), p, 1e-12);
  }
}

TEST(Marginals, EveryFamilyRoundTripsCdfOfPpf) {
  auto sample = UnivariateSample(draw(3000, 1, [](Rng& r) { return 10 + 3 * r.gamma(2.0); }));
  for (const auto& name : marginal_family_names()) {
    auto m = fit_marginal(marginal_family_from_string(name), sample);
    // The empirical CDF is invertible inside its knots (continuous, tie-free data).
    const double lo = name == "empirical" ? 1.0 / 3000 : 1e-6;
    for (double u = lo; u <= 1 - lo; u += 0.00371)
      EXPECT_NEAR(m->cdf(m->ppf(u)), u, 1e-9) << name << " u=" << u;
    std::vector<double> us = {0.1, 0.5, 0.9}, xs(3), back(3);
    m->ppf_many(us.data(), xs.data(), 3);
    m->cdf_many(xs.data(), back.data(), 3);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(back[i], us[i], 1e-9) << name;
  }
}

TEST(Marginals, FitsRecoverKnownParameters) {
  auto normal = UnivariateSample(draw(20000, 2, [](Rng& r) { return 3 + 2 * r.normal(); }));
  auto n = fit_marginal(MarginalFamily::norm, normal);
  EXPECT_NEAR(param(*n, "mu"), 3.0, 0.05);
  EXPECT_NEAR(param(*n, "sigma"), 2.0, 0.05);

  // N(5, 2) truncated to [2, 9] by rejection; bounds come from the observed range.
  auto trunc = UnivariateSample(draw(20000, 3, [](Rng& r) {
    for (;;) {
      double x = 5 + 2 * r.normal();
      if (x >= 2 && x <= 9) return x;
    }
  }));
  auto t = fit_marginal(MarginalFamily::truncnorm, trunc);
  EXPECT_NEAR(param(*t, "mu"), 5.0, 0.15);
  EXPECT_NEAR(param(*t, "sigma"), 2.0, 0.15);

  auto gam = UnivariateSample(draw(20000, 4, [](Rng& r) { return 10 + 3 * r.gamma(2.0); }));
  auto g = fit_marginal(MarginalFamily::gamma, gam);
  EXPECT_NEAR(param(*g, "shape"), 2.0, 0.15);
  EXPECT_NEAR(param(*g, "scale"), 3.0, 0.25);
  EXPECT_NEAR(param(*g, "loc"), 10.0, 0.1);

  auto bet = UnivariateSample(draw(20000, 5, [](Rng& r) { return 3 + 4 * r.beta(2.0, 2.0); }));
  auto b = fit_marginal(MarginalFamily::beta, bet);
  EXPECT_NEAR(param(*b, "a"), 2.0, 0.2);
  EXPECT_NEAR(param(*b, "b"), 2.0, 0.2);

  auto u = fit_marginal(MarginalFamily::uniform, bet);
  EXPECT_EQ(param(*u, "low"), bet.min);
  EXPECT_EQ(param(*u, "high"), bet.max);
}

TEST(Marginals, KsDistanceOnAHandComputedCase) {
  UnivariateSample s({1, 2, 3, 4});
  auto u = fit_marginal(MarginalFamily::uniform, s);  // F = 0, 1/3, 2/3, 1 at the data
  EXPECT_NEAR(ks_distance(*u, s), 0.25, 1e-15);
  EXPECT_NEAR(ks_critical_value(100), 0.1358, 1e-12);
}

TEST(Marginals, KsSelectionPicksTheRightFamily) {
  auto normal = UnivariateSample(draw(2000, 6, [](Rng& r) { return 50 + 7 * r.normal(); }));
  EXPECT_EQ(select_marginal(normal).marginal->family(), MarginalFamily::norm);

  auto uniform = UnivariateSample(draw(2000, 7, [](Rng& r) { return -1 + 3 * r.uniform(); }));
  EXPECT_EQ(select_marginal(uniform).marginal->family(), MarginalFamily::uniform);

  auto bimodal = UnivariateSample(
      draw(2000, 8, [](Rng& r) { return (r.uniform() < 0.5 ? -4.0 : 4.0) + r.normal(); }));
  auto choice = select_marginal(bimodal);
  EXPECT_EQ(choice.marginal->family(), MarginalFamily::empirical);
  EXPECT_EQ(choice.ks.size(), 5u);  // every parametric candidate was tried and rejected
  for (const auto& [family, d] : choice.ks)
    EXPECT_GT(d, ks_critical_value(2000)) << to_string(family);

  auto forced = select_marginal(normal, MarginalFamily::beta);
  EXPECT_EQ(forced.marginal->family(), MarginalFamily::beta);
  EXPECT_TRUE(forced.ks.empty());
}

TEST(Marginals, EmpiricalMapsTiesBackToTheSameValue) {
  std::vector<double> v;
  for (int i = 0; i < 50; ++i) v.push_back(1.0);
  for (int i = 0; i < 30; ++i) v.push_back(2.0);
  for (int i = 0; i < 20; ++i) v.push_back(3.5);
  v.push_back(NAN);  // ignored
  UnivariateSample s(v);
  ASSERT_EQ(s.n(), 100u);
  auto m = fit_marginal(MarginalFamily::empirical, s);
  for (double x : {1.0, 2.0, 3.5}) EXPECT_EQ(m->ppf(m->cdf(x)), x);
  // Share of u mapping exactly to each atom: (count - 1) / n inside plus the half-steps at the
  // ends.
  int hits[3] = {0, 0, 0};
  const int grid = 100000;
  for (int i = 0; i < grid; ++i) {
    const double x = m->ppf((i + 0.5) / grid);
    hits[0] += x == 1.0;
    hits[1] += x == 2.0;
    hits[2] += x == 3.5;
  }
  EXPECT_NEAR(hits[0] / double(grid), 0.495, 1e-3);  // 0.005 below the first knot + 49/100
  EXPECT_NEAR(hits[1] / double(grid), 0.29, 1e-3);
  EXPECT_NEAR(hits[2] / double(grid), 0.195, 1e-3);
  EXPECT_EQ(m->ppf(0.0), 1.0);
  EXPECT_EQ(m->ppf(1.0), 3.5);
}

TEST(Marginals, UnknownFamilyNameListsTheValidOnes) {
  try {
    marginal_family_from_string("lognormal");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("lognormal"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("truncnorm"), std::string::npos);
  }
}

TEST(FrequencyIntervals, OrdersByFrequencyAndEncodesInsideIntervals) {
  // b x3, a x3 (a first seen), missing x2, c x2 (missing first seen).
  std::vector<double> v = {0, 1, NAN, 1, 0, 2, 0, 1, NAN, 2};
  FrequencyIntervals fi;
  fi.fit(v.data(), v.size());
  ASSERT_EQ(fi.size(), 4u);
  EXPECT_EQ(fi.value(0), 0.0);
  EXPECT_EQ(fi.value(1), 1.0);
  EXPECT_TRUE(std::isnan(fi.value(2)));
  EXPECT_EQ(fi.value(3), 2.0);
  EXPECT_NEAR(fi.share(0), 0.3, 1e-15);
  EXPECT_NEAR(fi.share(2), 0.2, 1e-15);
  EXPECT_EQ(fi.upper(3), 1.0);
  EXPECT_EQ(fi.index_of(NAN), 2);
  EXPECT_EQ(fi.index_of(7.0), -1);
  EXPECT_EQ(fi.index_at(0.0), 0u);
  EXPECT_EQ(fi.index_at(0.35), 1u);
  EXPECT_EQ(fi.index_at(0.65), 2u);
  EXPECT_EQ(fi.index_at(1.0), 3u);
  Rng rng(9, 0);
  std::vector<double> u(v.size());
  fi.encode(v.data(), v.size(), rng, u.data());
  for (size_t i = 0; i < v.size(); ++i) {
    const long k = fi.index_of(v[i]);
    EXPECT_GT(u[i], fi.lower(k));
    EXPECT_LT(u[i], fi.upper(k));
    EXPECT_EQ(fi.index_at(u[i]), static_cast<size_t>(k));
  }
}
