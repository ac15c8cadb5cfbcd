// dgan's networks (the model: dgan.hpp): gretel's generator layout and discriminators.
#include <algorithm>

#include "models/deep/dgan_impl.hpp"

namespace calm {
namespace {

// Linear, ReLU, BatchNorm layers, then a linear layer to `out` (gretel's attribute generators).
torch::nn::Sequential attribute_mlp(int64_t in, int layers, int units, int64_t out) {
  torch::nn::Sequential s;
  int64_t last = in;
  for (int l = 0; l < layers; ++l) {
    s->push_back(torch::nn::Linear(last, units));
    s->push_back(torch::nn::ReLU());
    s->push_back(torch::nn::BatchNorm1d(units));
    last = units;
  }
  s->push_back(torch::nn::Linear(last, out));
  return s;
}

// The output activations along the last dimension.
torch::Tensor activate(const torch::Tensor& x, const std::vector<DganActivation>& acts) {
  std::vector<torch::Tensor> parts;
  const int64_t dim = x.dim() - 1;
  for (const DganActivation& a : acts) {
    const auto part = x.narrow(dim, static_cast<int64_t>(a.begin), static_cast<int64_t>(a.width));
    switch (a.kind) {
      case DganActivationKind::tanh:
        parts.push_back(torch::tanh(part));
        break;
      case DganActivationKind::sigmoid:
        parts.push_back(torch::sigmoid(part));
        break;
      case DganActivationKind::softmax:
        parts.push_back(torch::softmax(part, dim));
        break;
    }
  }
  if (parts.empty()) return x.narrow(dim, 0, 0);
  return torch::cat(parts, dim);
}

}  // namespace

DganGeneratorImpl::DganGeneratorImpl(const DganCodec& codec, const DganOptions& o,
                                     size_t sample_len_)
    : attribute_act(codec.attribute_activations()),
      additional_act(codec.additional_activations()),
      feature_act(codec.feature_activations()),
      attribute_width(static_cast<int64_t>(codec.attribute_width())),
      additional_width(static_cast<int64_t>(codec.additional_width())),
      feature_width(static_cast<int64_t>(codec.feature_width())),
      flag(static_cast<int64_t>(codec.features().features())),
      steps(static_cast<int64_t>(codec.steps())),
      sample_len(static_cast<int64_t>(sample_len_)),
      flagged(codec.flagged()) {
  if (attribute_width > 0)
    attribute =
        register_module("attribute", attribute_mlp(o.attribute_noise_dim, o.attribute_num_layers,
                                                   o.attribute_num_units, attribute_width));
  if (additional_width > 0)
    additional = register_module(
        "additional", attribute_mlp(o.attribute_noise_dim + attribute_width, o.attribute_num_layers,
                                    o.attribute_num_units, additional_width));
  lstm = register_module(
      "lstm", torch::nn::LSTM(
                  torch::nn::LSTMOptions(attribute_width + additional_width + o.feature_noise_dim,
                                         o.feature_num_units)
                      .num_layers(o.feature_num_layers)
                      .batch_first(true)));
  head =
      register_module("head", torch::nn::Linear(o.feature_num_units, sample_len * feature_width));
}

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> DganGeneratorImpl::forward(
    const torch::Tensor& attribute_noise, const torch::Tensor& feature_noise, bool mask) {
  const int64_t batch = attribute_noise.size(0);
  const auto empty = torch::zeros({batch, 0}, attribute_noise.options());
  const auto attributes =
      attribute ? activate(attribute->forward(attribute_noise), attribute_act) : empty;
  // As DoppelGANger: the additional attributes and the features see the attributes without
  // sending gradients back into them (the attribute generator learns from the discriminators'
  // view of the attributes only).
  const auto extra =
      additional
          ? activate(additional->forward(torch::cat({attributes.detach(), attribute_noise}, 1)),
                     additional_act)
          : empty;
  const auto conditions = torch::cat({attributes, extra}, 1).detach();
  const auto input = torch::cat(
      {conditions.unsqueeze(1).expand({batch, feature_noise.size(1), -1}), feature_noise}, 2);
  const auto hidden = std::get<0>(lstm->forward(input));
  auto features =
      activate(head->forward(hidden).reshape({batch, steps, feature_width}), feature_act);
  if (!flagged || !mask) return {attributes, extra, features};
  // The generation flag: a step is kept while no earlier step was flagged "last".
  const auto last =
      features.narrow(2, flag + 1, 1).squeeze(2) > features.narrow(2, flag, 1).squeeze(2);
  const auto going_on = torch::cumprod(1.0 - last.to(features.dtype()), 1);
  const auto keep = torch::cat(
      {torch::ones({batch, 1}, features.options()), going_on.narrow(1, 0, steps - 1)}, 1);
  features = features * keep.unsqueeze(2);
  return {attributes, extra, features};
}

torch::nn::Sequential dgan_discriminator(int64_t in, int layers, int units) {
  torch::nn::Sequential s;
  int64_t last = in;
  for (int l = 0; l < layers; ++l) {
    s->push_back(torch::nn::Linear(last, units));
    s->push_back(torch::nn::ReLU());
    last = units;
  }
  s->push_back(torch::nn::Linear(last, 1));
  return s;
}

}  // namespace calm
