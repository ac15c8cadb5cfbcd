// What the dp method's two GANs (dpctgan.cpp, pate_ctgan.cpp) share, on the frame of
// privacy/coded_synthesizer.hpp: the frame learns the DP domain and hands over the coded table
// (one code per attribute: a category, a bin of a numeric range, or the missing level); the GANs
// model the one-hot encoding of those codes, and their generator returns codes, which the frame
// decodes. Nothing here reads the real values beyond the codes.
//
// The generator is CTGAN's (Xu, Skoularidou, Cuesta-Infante & Veeramachaneni, "Modeling Tabular
// Data using Conditional GAN", NeurIPS 2019): residual Linear-BatchNorm-ReLU blocks, one softmax
// span per attribute, Gumbel-softmax (tau 0.2; Jang, Gu & Poole 2017) during training. It is
// conditional, so that sampling can fix any categorical column (custom_distributions,
// balance_target) without rejection: the condition is empty (all zeros) or the one-hot of one
// level of one categorical attribute. Half the rows of every batch carry an empty condition (the
// generator thereby also learns the unconditional distribution, used when nothing is fixed);
// the others a condition on a uniformly chosen categorical attribute. A real row's condition is
// its own level of that attribute (a function of the row alone); a generated row's level is
// drawn uniformly over the attribute's levels, a data-independent choice (CTGAN's
// training-by-sampling reads the real frequencies, which DP forbids), and CTGAN's cross-entropy
// pushes the generator to produce it. With the condition frequencies differing between real and
// generated rows, the optimal generator is still p(row | level) for every level (for any
// f-divergence, by Jensen's inequality within each condition), which is what sampling uses.
// The discriminators see rows and conditions, without PacGAN (as smartnoise's DPCTGAN and
// PATECTGAN with pac = 1) and with the standard (cross-entropy) GAN loss, the generator with the
// non-saturating loss.
// Warm start (a departure from both papers and from smartnoise): before training, a share of
// the model's budget (warm_start, 10% by default) buys the noisy 1-way marginals of every
// attribute (discrete Gaussian, exact sampler; rho-zCDP, i.e. RDP alpha rho at every order),
// and the generator's output biases start at their logs (its output weights scaled down), so
// that training starts at the independent model instead of a random one: at epsilon ~1 on a
// few thousand rows the discriminators' privatised signal is weak, and a generator started at
// random never reached good 1-way marginals. The marginals are composed exactly with training's
// accountant: added to DP-SGD's RDP curve before the (epsilon, delta) conversion (dpctgan), or
// to PATE's log-moments, alpha(l) += l (l + 1) rho (pate_ctgan); the model's spend covers both.
// The generator's loss then also holds it to those marginals (marginal_loss): at epsilon ~1 the
// privatised labels/gradients are mostly noise, and a generator trained on noise alone drifted
// away from them, so that a larger epsilon (more training) scored lower.
// Accounting is basic composition on the frame's side (the domain step, zCDP converted to
// (preprocessor_eps, delta_domain); the model gets the rest of epsilon) and the model's own
// (epsilon, delta) with delta = the user's delta minus what the domain step used.
// Only the deep methods' translation units include this header (it pulls in torch).
#pragma once

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/deep/dp_gan_params.hpp"
#include "privacy/coded_synthesizer.hpp"
#include "transform/tabular_encoder.hpp"

namespace calm {

class DpGan : public CodedDpSynthesizer {
 public:
  Json privacy_guarantee() const override;

 protected:
  DomainAccounting accounting() const override { return DomainAccounting::pure; }
  Codes sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                     const std::vector<int32_t>* fixed_values) const override;
  void save_model(ArchiveWriter& out) const override;
  void load_model(ArchiveReader& in) override;

  // Fit-time set-up: options, device, layout of the one-hot rows and the conditions, the
  // generator, the real rows as one-hots (n x width) and seeds torch from fit.rng.
  void prepare(const ModelFit& fit);
  // delta for the model: the user's delta less what the domain step spent.
  double model_delta(const ModelFit& fit) const;
  // The warm start's zCDP rho: warm_start x the rho whose (epsilon, delta) conversion is the
  // model's (a data-independent way to size the share; the accountants compose it exactly).
  double warm_start_rho(double epsilon, double delta) const;
  // The warm start (after prepare, before training; nothing when rho is 0): each attribute's
  // histogram of codes with discrete Gaussian noise at rho / attributes each (rho zCDP in all,
  // i.e. RDP alpha rho at every order alpha), clamped to at least 1 and normalised; the output
  // layer's biases become the logs of those frequencies and its weights are scaled down, so that
  // training starts near the independent model of the noisy marginals.
  void warm_start(const ModelFit& fit, double rho);

  // The conditions of a batch: per row the attribute fixed (-1: none) and its level.
  struct Conditions {
    std::vector<int> attr, level;
  };
  // Generated rows' conditions: none for half the rows (each independently), else a uniform
  // categorical attribute and a uniform level of it. Data-independent.
  Conditions fake_conditions(int64_t batch, Rng& rng) const;
  // Real rows' conditions (indices into the training rows): none or a uniform categorical
  // attribute as above, and the row's own level of it.
  Conditions real_conditions(const std::vector<int64_t>& rows, Rng& rng) const;
  // The one-hot conditions (B x cond_width) on the device.
  torch::Tensor condition_tensor(const Conditions& c) const;

  // One batch of generated rows: conditions, the generator's raw outputs, and the activated
  // (Gumbel-softmax) rows. Runs with autograd unless the caller holds a NoGradGuard.
  struct Fake {
    Conditions conditions;
    torch::Tensor cond, logits, rows;  // rows: activated one-hots (B x width)
  };
  Fake generate(Conditions c, at::Generator& gen) const;
  // CTGAN's conditional loss: cross-entropy of the conditioned attribute's logits against the
  // asked level, averaged over the batch (rows without a condition contribute 0).
  torch::Tensor condition_loss(const Fake& f) const;
  // The warm start's anchor: sum over attributes of KL(noisy marginal || the batch's mean
  // output distribution) over the rows without a condition; 0 without a warm start. Keeps the
  // generator at the released marginals while the privatised signal, weak at small epsilon,
  // shapes the joint (post-processing of the warm start's noisy marginals).
  torch::Tensor marginal_loss(const Fake& f) const;
  // rows | cond, the discriminators' input.
  static torch::Tensor with_condition(const torch::Tensor& rows, const torch::Tensor& cond) {
    return torch::cat({rows, cond}, 1);
  }
  // The rows (indices into the training rows) of the real one-hots, on the device.
  torch::Tensor real_rows(const std::vector<int64_t>& rows) const;
  // Logs a progress line (info when verbose, else debug).
  void progress(const ModelFit& fit, const std::string& line) const;

  DpGanOptions o_;
  torch::Device device_{torch::kCPU};
  std::vector<int> sizes_;             // per attribute: its number of codes
  std::vector<int64_t> offsets_;       // per attribute: its span in the one-hot rows
  std::vector<int> cond_attrs_;        // the categorical attributes a condition may fix
  std::vector<int64_t> cond_offsets_;  // per attribute: offset in the condition (-1: none)
  int64_t width_ = 0, cond_width_ = 0;
  std::vector<OutputSpan> spans_;          // one softmax span per attribute
  Json model_guarantee_ = Json::object();  // set by fit_model: accountant, caveats, settings
  torch::Tensor train_;                    // n x width one-hots of the real rows (fit only)
  torch::Tensor anchor_;                   // the warm start's noisy marginals (fit only)
  const CodedTable* data_ = nullptr;       // fit only
  mutable torch::nn::Sequential generator_{nullptr};

 private:
  void layout(const std::vector<int>& sizes);
  void build_generator();
};

std::unique_ptr<Synthesizer> make_dpctgan();     // dpctgan.cpp
std::unique_ptr<Synthesizer> make_pate_ctgan();  // pate_ctgan.cpp

}  // namespace calm
