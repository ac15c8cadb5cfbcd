// `dp` synth_type "dpctgan": CTGAN's conditional generator against a discriminator trained with
// DP-SGD, as smartnoise-synth's DPCTGAN (cross-entropy GAN loss, no PacGAN).
//
// References:
// - M. Abadi, A. Chu, I. Goodfellow, H. B. McMahan, I. Mironov, K. Talwar, L. Zhang, "Deep
//   Learning with Differential Privacy", CCS 2016 (DP-SGD: per-example clipping, Gaussian noise).
// - I. Mironov, K. Talwar, L. Zhang, "Renyi Differential Privacy of the Sampled Gaussian
//   Mechanism", 2019 (the accountant, privacy/rdp.hpp).
// - L. Xie, K. Lin, S. Wang, F. Wang, J. Zhou, "Differentially Private Generative Adversarial
//   Network", 2018 (DP-GAN: only the discriminator touches the data; the generator is
//   post-processing).
// - L. Xu et al., "Modeling Tabular Data using Conditional GAN", NeurIPS 2019 (CTGAN).
//
// Each step: real rows by Poisson sampling at rate q = batch_size / rows (each row independently,
// as the subsampled-Gaussian analysis assumes); the discriminator's cross-entropy gradient of every
// real row clipped to max_per_sample_grad_norm = C (over all its parameters) and summed, Gaussian
// noise of std sigma * C added, divided by the expected batch q * rows; the generated rows'
// gradient (no real data in it) added unclipped; one Adam step. Then one generator step against
// the discriminator (non-saturating loss plus CTGAN's conditional loss). Only the discriminator's
// noisy updates depend on the data, so the generator, the samples and the reported losses are
// post-processing. sigma is the smallest for which all epochs x max(1, rows / batch_size) steps
// meet the model's (epsilon, delta) under the RDP accountant, or the given noise_multiplier, with
// training stopped before the step that would exceed the budget.
#include <cmath>
#include <sstream>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "models/deep/dp_gan.hpp"
#include "models/deep/dp_sgd.hpp"
#include "models/deep/torch_common.hpp"
#include "privacy/rdp.hpp"

namespace calm {
namespace {

constexpr double kDropout = 0.5;  // CTGAN's / smartnoise's discriminator dropout
constexpr double kDecay = 1e-6;   // Adam weight decay of both networks (CTGAN's)

class DpCtgan final : public DpGan {
 protected:
  const char* mechanism() const override { return "dpctgan"; }
  Json fit_model(const ModelFit& fit) override;
};

// epsilon after t DP-SGD steps at (q, sigma) composed with the warm start (RDP alpha rho):
// the RDP curves add, then the Balle et al. conversion (privacy/rdp.hpp).
double model_epsilon(double q, double sigma, int64_t t, double rho, double delta) {
  if (!(rho > 0)) return privacy::dpsgd_epsilon(q, sigma, t, delta).epsilon;
  const auto orders = privacy::default_rdp_orders();
  std::vector<double> rdp(orders.size());
  for (size_t i = 0; i < orders.size(); ++i)
    rdp[i] = static_cast<double>(t) * privacy::sampled_gaussian_rdp(q, sigma, orders[i]) +
             orders[i] * rho;
  return privacy::rdp_to_epsilon(orders, rdp, delta).epsilon;
}

// The smallest sigma (to 1e-4 relative) with model_epsilon(q, sigma, steps, rho) <= epsilon.
double noise_multiplier(double q, int64_t steps, double rho, double epsilon, double delta) {
  if (!(rho > 0)) return privacy::dpsgd_noise_multiplier(q, steps, epsilon, delta);
  auto fits = [&](double sigma) { return model_epsilon(q, sigma, steps, rho, delta) <= epsilon; };
  double hi = 1;
  while (!fits(hi)) {
    hi *= 2;
    if (hi > 1e7)
      throw InvalidArgument("dpctgan: epsilon " + format_double(epsilon) +
                            " for the model is too small for its warm start; lower warm_start");
  }
  double lo = hi / 2;
  while (fits(lo) && lo > 1e-3) lo /= 2;  // fits(hi), !fits(lo) (or lo tiny)
  while (hi - lo > 1e-4 * hi) {
    const double mid = 0.5 * (lo + hi);
    (fits(mid) ? hi : lo) = mid;
  }
  return hi;
}

// Most steps t <= planned with model_epsilon(q, sigma, t, rho) <= epsilon (0 if none).
int64_t affordable_steps(double q, double sigma, int64_t planned, double rho, double epsilon,
                         double delta) {
  auto fits = [&](int64_t t) { return model_epsilon(q, sigma, t, rho, delta) <= epsilon; };
  if (fits(planned)) return planned;
  int64_t lo = 0, hi = planned;  // fits(lo) (or lo = 0), !fits(hi)
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (mid > 0 && fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

Json DpCtgan::fit_model(const ModelFit& fit) {
  prepare(fit);
  const double epsilon = fit.budget, delta = model_delta(fit);
  const auto n = static_cast<int64_t>(fit.data.rows());
  const int64_t B = o_.batch_size;
  const double q = std::min(1.0, static_cast<double>(B) / static_cast<double>(n));
  const int64_t per_epoch = std::max<int64_t>(1, std::llround(static_cast<double>(n) / B));
  const int64_t planned = per_epoch * o_.epochs;
  const double C = o_.max_per_sample_grad_norm;
  const double rho = warm_start_rho(epsilon, delta);
  double sigma = 0;
  int64_t steps = planned;
  if (o_.noise_multiplier) {
    sigma = *o_.noise_multiplier;
    steps = affordable_steps(q, sigma, planned, rho, epsilon, delta);
    if (steps == 0)
      throw InvalidArgument("dpctgan: noise_multiplier " + format_double(sigma) +
                            " does not allow a single step within epsilon " +
                            format_double(epsilon) + " for the model; raise it or epsilon");
  } else {
    sigma = noise_multiplier(q, planned, rho, epsilon, delta);
  }
  warm_start(fit, rho);

  const int64_t in = width_ + cond_width_;
  MlpCritic critic(in, o_.discriminator_dim, kDropout);
  critic->to(device_);
  torch::optim::Adam opt_g(
      generator_->parameters(),
      torch::optim::AdamOptions(o_.generator_lr).betas({0.5, 0.9}).weight_decay(kDecay));
  torch::optim::Adam opt_d(
      critic->parameters(),
      torch::optim::AdamOptions(o_.discriminator_lr).betas({0.5, 0.9}).weight_decay(kDecay));
  Rng& rng = fit.rng;
  at::Generator gen = make_generator(rng);
  const auto params = critic->parameters();
  const double expected_batch = q * static_cast<double>(n);

  std::ostringstream head;
  head << "dpctgan: " << steps << " DP-SGD steps (" << per_epoch << " per epoch), sampling rate "
       << q << ", noise multiplier " << sigma << ", clipping norm " << C << ", model epsilon "
       << epsilon << ", delta " << delta;
  fit.log.info(head.str());
  const int64_t report_every = per_epoch * std::max(1, o_.epochs / 10);
  double loss_d = 0, loss_g = 0;
  std::vector<int64_t> rows;
  for (int64_t step = 0; step < steps; ++step) {
    generator_->train();
    // Discriminator: DP-SGD on the real rows, the generated rows' gradient as is.
    rows.clear();
    for (int64_t i = 0; i < n; ++i)
      if (rng.uniform() < q) rows.push_back(i);
    Fake fake;
    {
      torch::NoGradGuard no_grad;
      fake = generate(fake_conditions(B, rng), gen);
    }
    opt_d.zero_grad();
    const auto y_fake = critic->forward(with_condition(fake.rows, fake.cond), &gen);
    const auto loss_fake =
        torch::binary_cross_entropy_with_logits(y_fake, torch::zeros_like(y_fake));
    loss_fake.backward();
    std::vector<torch::Tensor> noisy;
    // Only the generated rows' loss is logged: the real rows' loss is not privatised.
    loss_d = loss_fake.item<double>();
    if (!rows.empty()) {
      const auto x = with_condition(real_rows(rows), condition_tensor(real_conditions(rows, rng)));
      const auto pass = critic_backprop(
          critic, x, [](const torch::Tensor& z) { return bce_logit_gradient(z, 1); }, &gen);
      noisy = clipped_gradient_sum(pass, C);
    } else {
      for (const auto& p : params) noisy.push_back(torch::zeros_like(p));
    }
    add_gaussian_noise(noisy, sigma * C, gen);
    {
      torch::NoGradGuard no_grad;
      for (size_t k = 0; k < params.size(); ++k) {
        auto g = noisy[k].view(params[k].sizes()) / expected_batch;
        if (params[k].grad().defined())
          params[k].mutable_grad().add_(g);
        else
          params[k].mutable_grad() = g;
      }
    }
    opt_d.step();

    // Generator: against the (privatised) discriminator; post-processing.
    const Fake f = generate(fake_conditions(B, rng), gen);
    const auto y = critic->forward(with_condition(f.rows, f.cond), &gen);
    const auto loss = torch::binary_cross_entropy_with_logits(y, torch::ones_like(y)) +
                      condition_loss(f) + marginal_loss(f);
    opt_g.zero_grad();
    loss.backward();
    opt_g.step();
    loss_g = loss.item<double>();

    if ((step + 1) % report_every == 0 || step + 1 == steps) {
      std::ostringstream line;
      line.precision(4);
      line << "dpctgan: epoch " << (step + 1) / per_epoch << "/" << o_.epochs << ", epsilon "
           << model_epsilon(q, sigma, step + 1, rho, delta) << " of " << epsilon << ", G " << loss_g
           << " D(generated) " << loss_d;
      progress(fit, line.str());
    }
  }
  generator_->eval();
  train_ = anchor_ = torch::Tensor();
  data_ = nullptr;

  const double spent = model_epsilon(q, sigma, steps, rho, delta);
  fit.log.info("dpctgan: trained " + std::to_string(steps) + " steps; epsilon spent by the model " +
               format_double(spent) + " (delta " + format_double(delta) + ")");
  model_guarantee_ = {
      {"accountant",
       "basic composition of the domain step (zCDP converted to (epsilon, delta)) and the model: "
       "the warm start's "
       "noisy 1-way marginals (discrete Gaussian, rho-zCDP) and DP-SGD on the discriminator "
       "(Abadi et al. 2016), their RDP curves added (the Poisson-subsampled Gaussian mechanism's "
       "by Mironov, Talwar & Zhang 2019) and converted to (epsilon, delta) by Balle et al. (2020)"},
      {"warm_start", {{"share", o_.warm_start}, {"rho", rho}}},
      {"dp_sgd",
       {{"sampling_rate", q},
        {"noise_multiplier", sigma},
        {"clipping_norm", C},
        {"steps", steps},
        {"planned_steps", planned}}},
      {"noise",
       "domain step: exact discrete Laplace; warm start: exact discrete Gaussian; "
       "discriminator gradients: Gaussian noise from libtorch's floating-point sampler"},
      {"not_covered",
       Json::array(
           {"the sampling rate batch_size / rows uses the row count, treated as public "
            "(as Opacus and TF Privacy do)",
            "floating-point noise sampling (no exact Gaussian sampler on the gradients)"})}};
  return Json::array(
      {{{"what", std::string(rho > 0 ? "warm start (noisy 1-way marginals) and " : "") +
                     "discriminator: DP-SGD, " + std::to_string(steps) + " steps (RDP accountant)"},
        {"epsilon", spent},
        {"delta", delta}}});
}

}  // namespace

std::unique_ptr<Synthesizer> make_dpctgan() {
  return std::make_unique<DpCtgan>();
}

}  // namespace calm
