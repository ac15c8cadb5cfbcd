// DP-SGD's per-example gradients of the DP GANs' critic (src/models/deep/dp_sgd.hpp) against
// libtorch's autograd: each example's gradient equals the one of a micro-batch of that example
// alone; with dropout, their sum equals autograd's gradient of the summed loss under the same
// masks; clipping bounds every example's norm by C; the ghost norms equal the materialised ones;
// the noise has std sigma * C. A binary of its own (calm_torch_tests) because it links libtorch,
// which calm_tests does not.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include "models/deep/dp_sgd.hpp"

using namespace calm;

namespace {

// Rows of `in` features with the shape of the GANs' input: one-hots and a few values.
torch::Tensor rows(int64_t n, int64_t in, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return torch::randn({n, in}, gen, torch::kFloat);
}

MlpCritic critic(int64_t in, double dropout) {
  torch::manual_seed(3);
  return MlpCritic(in, std::vector<int64_t>{6, 5}, dropout);
}

auto real_label = [](const torch::Tensor& z) { return bce_logit_gradient(z, 1); };

}  // namespace

TEST(DpGan, PerExampleGradientsEqualMicroBatchGradients) {
  const int64_t n = 9, in = 7;
  auto net = critic(in, 0.0);
  const auto x = rows(n, in, 1);
  const auto pass = critic_backprop(net, x, real_label);
  const auto grads = per_example_gradients(pass);
  const auto params = net->parameters();
  ASSERT_EQ(grads.size(), params.size());
  for (int64_t i = 0; i < n; ++i) {
    net->zero_grad();
    const auto z = net->forward(x.narrow(0, i, 1));
    torch::binary_cross_entropy_with_logits(z, torch::ones_like(z)).backward();
    for (size_t k = 0; k < params.size(); ++k)
      EXPECT_TRUE(torch::allclose(grads[k][i], params[k].grad(), 1e-5, 1e-5))
          << "example " << i << " parameter " << k;
  }
}

TEST(DpGan, PerExampleGradientsFollowTheDropoutMasks) {
  const int64_t n = 16, in = 5;
  auto net = critic(in, 0.5);
  const auto x = rows(n, in, 2);
  at::Generator g1 = at::detail::createCPUGenerator(11), g2 = at::detail::createCPUGenerator(11);
  const auto pass = critic_backprop(net, x, real_label, &g1);
  net->zero_grad();
  const auto z = net->forward(x, &g2);  // the same masks, drawn in the same order
  EXPECT_TRUE(torch::allclose(z, pass.logits, 1e-6, 1e-6));
  torch::binary_cross_entropy_with_logits(z, torch::ones_like(z), {}, {}, at::Reduction::Sum)
      .backward();
  const auto grads = per_example_gradients(pass);
  const auto params = net->parameters();
  for (size_t k = 0; k < params.size(); ++k)
    EXPECT_TRUE(torch::allclose(grads[k].sum(0), params[k].grad(), 1e-5, 1e-5)) << k;
}

TEST(DpGan, ClippingBoundsEveryExampleAndGhostNormsAreExact) {
  const int64_t n = 32, in = 7;
  auto net = critic(in, 0.5);
  const auto x = rows(n, in, 3) * 5;  // large inputs: most gradients are above the clip
  at::Generator gen = at::detail::createCPUGenerator(5);
  const auto pass = critic_backprop(net, x, real_label, &gen);
  const auto grads = per_example_gradients(pass);
  torch::Tensor explicit_sq = torch::zeros({n});
  for (const auto& g : grads) explicit_sq += g.reshape({n, -1}).pow(2).sum(1);
  EXPECT_TRUE(torch::allclose(per_example_norms(pass), explicit_sq.sqrt(), 1e-4, 1e-5));

  const double clip = 0.05;
  torch::Tensor norms;
  const auto sum = clipped_gradient_sum(pass, clip, &norms);
  EXPECT_GT((norms > clip).sum().item<int64_t>(), n / 2);
  const auto factor = (clip / (norms + 1e-6)).clamp_max(1.0);
  torch::Tensor clipped_sq = torch::zeros({n});
  for (size_t k = 0; k < grads.size(); ++k) {
    auto shape = std::vector<int64_t>(grads[k].dim(), 1);
    shape[0] = n;
    const auto clipped = grads[k] * factor.view(shape);
    clipped_sq += clipped.reshape({n, -1}).pow(2).sum(1);
    EXPECT_TRUE(torch::allclose(clipped.sum(0), sum[k], 1e-4, 1e-6)) << k;
  }
  EXPECT_LE(clipped_sq.sqrt().max().item<double>(), clip * (1 + 1e-5));
}

TEST(DpGan, NoiseHasTheRequestedStd) {
  std::vector<torch::Tensor> g{torch::zeros({400, 250}), torch::zeros({1000})};
  at::Generator gen = at::detail::createCPUGenerator(8);
  add_gaussian_noise(g, 2.5, gen);
  EXPECT_NEAR(g[0].std().item<double>(), 2.5, 0.02);
  EXPECT_NEAR(g[0].mean().item<double>(), 0.0, 0.02);
}
