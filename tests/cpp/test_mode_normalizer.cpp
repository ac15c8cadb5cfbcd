// Tests of the mode-specific normaliser (1-D variational Gaussian mixture) and of the CTGAN/TVAE
// tabular encoder: digamma values, the modes found on a bimodal sample against scikit-learn's
// BayesianGaussianMixture, span layout and the exactness of the inverse transform.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "transform/mode_normalizer.hpp"
#include "transform/normal_scores.hpp"
#include "transform/tabular_encoder.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 150 normal quantiles around -5 (sd 1) and 150 around +5 (sd 2): no random draws involved.
std::vector<double> bimodal() {
  std::vector<double> x;
  for (int i = 0; i < 150; ++i) x.push_back(-5 + normal_ppf((i + 0.5) / 150));
  for (int i = 0; i < 150; ++i) x.push_back(5 + 2 * normal_ppf((i + 0.5) / 150));
  return x;
}

TEST(ModeNormalizer, DigammaMatchesKnownValues) {
  EXPECT_NEAR(digamma(1.0), -0.5772156649015329, 1e-12);
  EXPECT_NEAR(digamma(0.5), -1.9635100260214235, 1e-12);
  EXPECT_NEAR(digamma(10.0), 2.251752589066721, 1e-12);
  EXPECT_NEAR(digamma(1e-3), -1000.5755719318103, 1e-9);
}

TEST(ModeNormalizer, FindsTheTwoModesOfABimodalSample) {
  const auto x = bimodal();
  ModeNormalizer m;
  m.fit(x.data(), x.size());
  ASSERT_EQ(m.modes(), 2u);
  EXPECT_FALSE(m.has_missing_mode());
  EXPECT_TRUE(m.mixture().converged());
  // scikit-learn 1.x (same priors, random k-means starts) gives means -4.967 / 4.968 and
  // standard deviations 1.155 / 2.07, weights about 0.5 each.
  const size_t lo = m.means()[0] < m.means()[1] ? 0 : 1, hi = 1 - lo;
  EXPECT_NEAR(m.means()[lo], -4.967, 0.05);
  EXPECT_NEAR(m.means()[hi], 4.968, 0.05);
  EXPECT_NEAR(m.stds()[lo], 1.155, 0.05);
  EXPECT_NEAR(m.stds()[hi], 2.07, 0.05);
  double kept = 0;
  for (size_t j = 0; j < m.mixture().components(); ++j)
    if (m.mixture().weights()[j] > 0.005) kept += m.mixture().weights()[j];
  EXPECT_GT(kept, 0.97);
}

// The truncated Dirichlet process does not collapse a single normal to one component within 100
// iterations: scikit-learn keeps 3 components of weight 0.06..0.68 here. What must hold is that
// the kept modes describe the sample: their weighted mean is the sample mean.
TEST(ModeNormalizer, UnimodalSampleIsCoveredByItsModes) {
  std::vector<double> x;
  for (int i = 0; i < 300; ++i) x.push_back(3 + normal_ppf((i + 0.5) / 300));
  ModeNormalizer m;
  m.fit(x.data(), x.size());
  ASSERT_GE(m.modes(), 1u);
  ASSERT_LE(m.modes(), 4u);
  double mean = 0, total = 0;
  size_t k = 0;
  for (size_t j = 0; j < m.mixture().components(); ++j) {
    const double w = m.mixture().weights()[j];
    if (w <= 0.005) continue;
    EXPECT_NEAR(m.means()[k++], 3.0, 1.5);
    mean += w * m.mixture().means()[j];
    total += w;
  }
  EXPECT_NEAR(mean / total, 3.0, 0.05);
}

TEST(ModeNormalizer, MissingCellsGetTheirOwnMode) {
  auto x = bimodal();
  x[3] = kNaN;
  x[200] = kNaN;
  ModeNormalizer m;
  m.fit(x.data(), x.size());
  ASSERT_TRUE(m.has_missing_mode());
  std::vector<double> cell(1 + m.one_hot_width());
  m.encode(kNaN, ModeChoice::most_likely, nullptr, cell.data());
  EXPECT_EQ(cell[0], 0.0);
  EXPECT_EQ(cell.back(), 1.0);
  EXPECT_TRUE(std::isnan(m.decode(cell.data())));
}

TEST(TabularEncoder, SpansCoverTheRowInOrder) {
  const auto x = bimodal();
  std::vector<int32_t> codes(x.size());
  for (size_t i = 0; i < x.size(); ++i) codes[i] = static_cast<int32_t>(i % 3);
  TabularEncoder enc;
  enc.fit(x.data(), 1, {3}, x.size());
  ASSERT_EQ(enc.spans().size(), 3u);
  EXPECT_EQ(enc.spans()[0].activation, SpanActivation::tanh);
  EXPECT_EQ(enc.spans()[0].width, 1u);
  EXPECT_EQ(enc.spans()[1].activation, SpanActivation::softmax);
  EXPECT_EQ(enc.spans()[1].width, 2u);
  EXPECT_FALSE(enc.spans()[1].discrete);
  EXPECT_TRUE(enc.spans()[2].discrete);
  EXPECT_EQ(enc.spans()[2].width, 3u);
  size_t next = 0;
  for (const auto& s : enc.spans()) {
    EXPECT_EQ(s.offset, next);
    next += s.width;
  }
  EXPECT_EQ(next, enc.width());
}

// Two continuous columns (one with missing cells) and two discrete ones, encoded with both mode
// choices: discrete codes and missingness come back exactly, values within 1e-9.
TEST(TabularEncoder, InverseIsExact) {
  const auto a = bimodal();
  const size_t n = a.size(), p = 2, q = 2;
  std::vector<double> numeric(n * p);
  std::vector<int32_t> codes(n * q);
  for (size_t i = 0; i < n; ++i) {
    numeric[i * p] = a[i];
    numeric[i * p + 1] = i % 7 == 0 ? kNaN : 100.0 + static_cast<double>((i * 37) % 101);
    codes[i * q] = static_cast<int32_t>(i % 4);
    codes[i * q + 1] = static_cast<int32_t>((i / 5) % 2);
  }
  TabularEncoder enc;
  enc.fit(numeric.data(), p, {4, 2}, n);
  Rng rng(7, 0);
  for (ModeChoice choice : {ModeChoice::most_likely, ModeChoice::sample}) {
    const auto encoded = enc.transform(numeric.data(), codes.data(), n, choice, &rng);
    ASSERT_EQ(encoded.size(), n * enc.width());
    std::vector<double> back(n * p);
    std::vector<int32_t> back_codes(n * q);
    enc.inverse(encoded.data(), n, back.data(), back_codes.data());
    EXPECT_EQ(back_codes, codes);
    for (size_t i = 0; i < n * p; ++i) {
      if (std::isnan(numeric[i])) {
        EXPECT_TRUE(std::isnan(back[i])) << i;
      } else {
        EXPECT_NEAR(back[i], numeric[i], 1e-9) << i;
      }
    }
  }
}

}  // namespace
}  // namespace calm
