// The DP GANs' critic and DP-SGD's clipped, noised gradient sums (see dp_sgd.hpp).
#include "models/deep/dp_sgd.hpp"

namespace calm {
namespace {

constexpr double kLeakySlope = 0.2;

torch::Tensor dropout_mask(const torch::Tensor& like, double p, at::Generator& gen) {
  return torch::empty(like.sizes(), torch::kFloat)
      .bernoulli_(1 - p, gen)
      .div_(1 - p)
      .to(like.device());
}

}  // namespace

MlpCriticImpl::MlpCriticImpl(int64_t in, const std::vector<int64_t>& hidden, double p)
    : dropout(p) {
  int64_t dim = in;
  for (size_t l = 0; l <= hidden.size(); ++l) {
    const int64_t out = l < hidden.size() ? hidden[l] : 1;
    layers.push_back(register_module("fc" + std::to_string(l), torch::nn::Linear(dim, out)));
    dim = out;
  }
}

torch::Tensor MlpCriticImpl::forward(const torch::Tensor& x, at::Generator* gen) {
  torch::Tensor a = x;
  for (size_t l = 0; l + 1 < layers.size(); ++l) {
    a = torch::leaky_relu(layers[l]->forward(a), kLeakySlope);
    if (gen && dropout > 0) a = a * dropout_mask(a, dropout, *gen);
  }
  return layers.back()->forward(a);
}

CriticBackprop critic_backprop(const MlpCritic& critic, const torch::Tensor& x,
                               const std::function<torch::Tensor(const torch::Tensor&)>& dloss,
                               at::Generator* gen) {
  torch::NoGradGuard no_grad;
  const auto& layers = critic->layers;
  const size_t L = layers.size();
  CriticBackprop pass;
  std::vector<torch::Tensor> slopes(L);  // d(layer l's block output) / d(its linear output)
  torch::Tensor a = x;
  for (size_t l = 0; l + 1 < L; ++l) {
    pass.inputs.push_back(a);
    const auto z = torch::linear(a, layers[l]->weight, layers[l]->bias);
    auto slope = torch::where(z > 0, torch::ones_like(z), torch::full_like(z, kLeakySlope));
    a = torch::leaky_relu(z, kLeakySlope);
    if (gen && critic->dropout > 0) {
      const auto mask = dropout_mask(a, critic->dropout, *gen);
      a = a * mask;
      slope = slope * mask;
    }
    slopes[l] = slope;
  }
  pass.inputs.push_back(a);
  pass.logits = torch::linear(a, layers[L - 1]->weight, layers[L - 1]->bias);
  pass.signals.resize(L);
  pass.signals[L - 1] = dloss(pass.logits);
  for (size_t l = L - 1; l-- > 0;)
    pass.signals[l] = pass.signals[l + 1].mm(layers[l + 1]->weight) * slopes[l];
  return pass;
}

std::vector<torch::Tensor> per_example_gradients(const CriticBackprop& pass) {
  std::vector<torch::Tensor> grads;
  for (size_t l = 0; l < pass.signals.size(); ++l) {
    grads.push_back(pass.signals[l].unsqueeze(2) * pass.inputs[l].unsqueeze(1));
    grads.push_back(pass.signals[l]);
  }
  return grads;
}

torch::Tensor per_example_norms(const CriticBackprop& pass) {
  torch::Tensor sq = torch::zeros({pass.logits.size(0)}, pass.logits.options());
  for (size_t l = 0; l < pass.signals.size(); ++l)
    sq = sq + pass.signals[l].pow(2).sum(1) * (pass.inputs[l].pow(2).sum(1) + 1);
  return sq.sqrt();
}

std::vector<torch::Tensor> clipped_gradient_sum(const CriticBackprop& pass, double clip,
                                                torch::Tensor* norms) {
  const auto norm = per_example_norms(pass);
  // Opacus's factor: C / (|g| + 1e-6), at most 1.
  const auto factor = (clip / (norm + 1e-6)).clamp_max(1.0).unsqueeze(1);
  std::vector<torch::Tensor> grads;
  for (size_t l = 0; l < pass.signals.size(); ++l) {
    const auto scaled = pass.signals[l] * factor;
    grads.push_back(scaled.t().mm(pass.inputs[l]));
    grads.push_back(scaled.sum(0));
  }
  if (norms) *norms = norm;
  return grads;
}

void add_gaussian_noise(std::vector<torch::Tensor>& grads, double std, at::Generator& gen) {
  for (auto& g : grads)
    g = g + torch::randn(g.sizes(), gen, torch::kFloat).mul_(std).to(g.device());
}

torch::Tensor bce_logit_gradient(const torch::Tensor& logits, double label) {
  return torch::sigmoid(logits) - label;
}

}  // namespace calm
