// `dp` synth_type "pate_ctgan": PATE-GAN on CTGAN's conditional generator, as smartnoise-synth's
// PATECTGAN (cross-entropy loss, no PacGAN).
//
// References:
// - J. Jordon, J. Yoon, M. van der Schaar, "PATE-GAN: Generating Synthetic Data with Differential
//   Privacy Guarantees", ICLR 2019 (Algorithm 1: teachers, noisy vote, student, generator,
//   moments accountant, stop when the budget is spent).
// - N. Papernot, M. Abadi, U. Erlingsson, I. Goodfellow, K. Talwar, "Semi-supervised Knowledge
//   Transfer for Deep Learning from Private Training Data", ICLR 2017 (PATE; Theorem 3: the
//   data-dependent bound on the moments; Theorem 2: composition and the tail bound).
// - M. Abadi et al., "Deep Learning with Differential Privacy", CCS 2016 (the moments accountant).
// - L. Xu et al., "Modeling Tabular Data using Conditional GAN", NeurIPS 2019 (CTGAN).
//
// Every real row is assigned to one of num_teachers teachers independently and uniformly (a
// data-independent partition: adding or removing a row changes one teacher's share only). Each
// generator step: every teacher discriminator takes teacher_iters steps on real rows of its share
// against generated rows; then the student discriminator takes student_iters steps on batches of
// generated rows only, labelled by the teachers' noisy vote (1 when n1 + Lap(1/lambda) > n0 +
// Lap(1/lambda), n1 / n0 the teachers calling the row real / generated); then the generator takes
// one step against the student (non-saturating loss plus CTGAN's conditional loss). The student,
// the generator and the samples see the data only through the noisy labels.
// Accounting, as the paper's Algorithm 1: each label adds to the log-moments alpha(l),
// l = 1..100, min(2 lambda^2 l (l + 1), log((1 - q) ((1 - q) / (1 - e^{2 lambda} q))^l
// + q e^{2 lambda l})) with q = (2 + lambda |n1 - n0|) / (4 exp(lambda |n1 - n0|)) (the second
// term only when q < (e^{2 lambda} - 1) / (e^{4 lambda} - 1), the condition of Theorem 3), and
// epsilon = min_l (alpha(l) + log(1 / delta)) / l. A label is answered only if the budget holds
// even when it costs the data-independent 2 lambda^2 l (l + 1); the first that does not ends
// training (its batch unused), so the final epsilon never exceeds the model's share.
// CAVEAT: like the paper's, this bound is data-dependent: q is computed from the true votes, so
// the reported epsilon (and when training stops) depends on the data and is not itself
// differentially private. The guarantee states it and also reports the data-independent epsilon
// of the same labels.
#include <cmath>
#include <limits>
#include <sstream>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "models/deep/dp_gan.hpp"
#include "models/deep/dp_sgd.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {
namespace {

constexpr double kDropout = 0.5;
constexpr double kDecay = 1e-6;
constexpr int kMomentOrders = 100;  // l = 1..100, as smartnoise's moments_order
constexpr int64_t kRowsPerTeacher = 1000;

// The moments accountant of PATE with Laplace(1/lambda) noise on both vote counts.
class PateAccountant {
 public:
  // rho: the warm start's zCDP, log-moment l (l + 1) rho at every order l.
  PateAccountant(double lambda, int teachers, double rho)
      : lambda_(lambda),
        teachers_(teachers),
        alpha_(kMomentOrders, 0.0),
        independent_(kMomentOrders, 0.0) {
    for (int l = 1; l <= kMomentOrders; ++l)
      alpha_[static_cast<size_t>(l - 1)] = independent_[static_cast<size_t>(l - 1)] =
          l * (l + 1.0) * rho;
    cost_.resize(static_cast<size_t>(teachers) + 1);
    const double limit = std::expm1(2 * lambda) / std::expm1(4 * lambda);
    for (int gap = 0; gap <= teachers; ++gap) {  // gap = |n1 - n0|
      const double lg = lambda * gap;
      const double q = (2 + lg) / (4 * std::exp(lg));
      auto& c = cost_[static_cast<size_t>(gap)];
      for (int l = 1; l <= kMomentOrders; ++l) {
        double a = independent_cost(l);
        if (q < limit) {
          const double log_one = std::log1p(-q);
          const double log_ratio = log_one - std::log1p(-std::exp(2 * lambda) * q);
          const double x = log_one + l * log_ratio, y = std::log(q) + 2 * lambda * l;
          const double hi = std::max(x, y);
          a = std::min(a, hi + std::log1p(std::exp(std::min(x, y) - hi)));
        }
        c.push_back(a);
      }
    }
  }
  double independent_cost(int l) const { return 2 * lambda_ * lambda_ * l * (l + 1.0); }
  void add(int n1) {
    const auto& c = cost_[static_cast<size_t>(std::abs(2 * n1 - teachers_))];
    for (int l = 0; l < kMomentOrders; ++l) {
      alpha_[static_cast<size_t>(l)] += c[static_cast<size_t>(l)];
      independent_[static_cast<size_t>(l)] += independent_cost(l + 1);
    }
    ++queries_;
  }
  // epsilon now; with `extra` more labels at the data-independent cost.
  double epsilon(double delta, int64_t extra = 0) const { return best(alpha_, delta, extra); }
  double independent_epsilon(double delta) const { return best(independent_, delta, 0); }
  int64_t queries() const { return queries_; }

 private:
  double best(const std::vector<double>& alpha, double delta, int64_t extra) const {
    double eps = std::numeric_limits<double>::infinity();
    for (int l = 1; l <= kMomentOrders; ++l)
      eps = std::min(eps, (alpha[static_cast<size_t>(l - 1)] +
                           static_cast<double>(extra) * independent_cost(l) - std::log(delta)) /
                              l);
    return eps;
  }
  double lambda_;
  int teachers_;
  std::vector<double> alpha_, independent_;
  std::vector<std::vector<double>> cost_;  // [gap][l - 1]
  int64_t queries_ = 0;
};

class PateCtgan final : public DpGan {
 protected:
  const char* mechanism() const override { return "pate_ctgan"; }
  Json fit_model(const ModelFit& fit) override;
};

torch::Tensor bce(const torch::Tensor& logits, double label) {
  return torch::binary_cross_entropy_with_logits(logits, torch::full_like(logits, label));
}

Json PateCtgan::fit_model(const ModelFit& fit) {
  prepare(fit);
  const double epsilon = fit.budget, delta = model_delta(fit);
  const double lambda = o_.lap_scale;
  const auto n = static_cast<int64_t>(fit.data.rows());
  const int64_t B = o_.batch_size;
  const int k = static_cast<int>(
      std::min<int64_t>(n, o_.num_teachers ? *o_.num_teachers : n / kRowsPerTeacher + 1));
  const int64_t per_epoch = std::max<int64_t>(1, std::llround(static_cast<double>(n) / B));
  const int64_t max_steps = per_epoch * o_.epochs;
  const int64_t labels_per_step = B * o_.student_iters;
  Rng& rng = fit.rng;
  at::Generator gen = make_generator(rng);

  std::vector<std::vector<int64_t>> share(static_cast<size_t>(k));
  for (int64_t i = 0; i < n; ++i) share[rng.below(static_cast<uint64_t>(k))].push_back(i);
  const int64_t in = width_ + cond_width_;
  auto adam = [&](const std::vector<torch::Tensor>& p, double lr) {
    return std::make_unique<torch::optim::Adam>(
        p, torch::optim::AdamOptions(lr).betas({0.5, 0.9}).weight_decay(kDecay));
  };
  std::vector<MlpCritic> teachers;
  std::vector<std::unique_ptr<torch::optim::Adam>> opt_t;
  for (int t = 0; t < k; ++t) {
    teachers.emplace_back(in, o_.discriminator_dim, kDropout);
    teachers.back()->to(device_);
    opt_t.push_back(adam(teachers.back()->parameters(), o_.discriminator_lr));
  }
  MlpCritic student(in, o_.discriminator_dim, kDropout);
  student->to(device_);
  auto opt_s = adam(student->parameters(), o_.discriminator_lr);
  auto opt_g = adam(generator_->parameters(), o_.generator_lr);
  const double rho = warm_start_rho(epsilon, delta);
  PateAccountant acc(lambda, k, rho);
  if (acc.epsilon(delta, 1) > epsilon)
    throw InvalidArgument("pate_ctgan: epsilon " + format_double(epsilon) +
                          " for the model does not pay for a single teacher label at lap_scale " +
                          format_double(lambda) + "; raise epsilon or lower lap_scale");
  warm_start(fit, rho);
  std::ostringstream head;
  head << "pate_ctgan: " << k << " teachers, lap_scale " << lambda << ", " << labels_per_step
       << " labels per generator step, at most " << max_steps << " steps, model epsilon " << epsilon
       << ", delta " << delta;
  fit.log.info(head.str());
  const int64_t report_every = per_epoch * std::max(1, o_.epochs / 10);
  auto laplace = [&] {
    return (std::log(rng.uniform_open()) - std::log(rng.uniform_open())) / lambda;
  };
  double loss_s = 0, loss_g = 0;
  int64_t step = 0;
  bool spent_out = false;
  for (; step < max_steps && !spent_out; ++step) {
    generator_->train();
    // Teachers: real rows of their own share against generated rows.
    for (int it = 0; it < o_.teacher_iters; ++it)
      for (int t = 0; t < k; ++t) {
        const auto& mine = share[static_cast<size_t>(t)];
        Fake fake;
        {
          torch::NoGradGuard no_grad;
          fake = generate(fake_conditions(B, rng), gen);
        }
        auto loss = bce(teachers[t]->forward(with_condition(fake.rows, fake.cond), &gen), 0);
        if (!mine.empty()) {
          std::vector<int64_t> rows(static_cast<size_t>(std::min<int64_t>(B, mine.size())));
          for (auto& r : rows) r = mine[rng.below(mine.size())];
          const auto x =
              with_condition(real_rows(rows), condition_tensor(real_conditions(rows, rng)));
          loss = loss + bce(teachers[t]->forward(x, &gen), 1);
        }
        opt_t[t]->zero_grad();
        loss.backward();
        opt_t[t]->step();
      }
    // Student: generated rows labelled by the noisy teacher vote.
    for (int it = 0; it < o_.student_iters; ++it) {
      torch::Tensor x;
      std::vector<float> labels(static_cast<size_t>(B));
      {
        torch::NoGradGuard no_grad;
        const Fake fake = generate(fake_conditions(B, rng), gen);
        x = with_condition(fake.rows, fake.cond);
        auto votes = torch::zeros({B}, torch::kInt);
        for (auto& teacher : teachers)
          votes += (teacher->forward(x).squeeze(1) > 0).to(torch::kCPU, torch::kInt);
        const int* v = votes.data_ptr<int>();
        for (int64_t i = 0; i < B && !spent_out; ++i) {
          // Answered only if it fits the budget even at the data-independent cost.
          if (acc.epsilon(delta, 1) > epsilon) {
            spent_out = true;
            break;
          }
          const int n1 = v[i], n0 = k - n1;
          labels[static_cast<size_t>(i)] = n1 + laplace() > n0 + laplace() ? 1.0f : 0.0f;
          acc.add(n1);
        }
      }
      if (spent_out) break;  // the budget is spent: no partial batch, no further step
      const auto target = torch::tensor(labels, torch::kFloat).view({B, 1}).to(device_);
      const auto loss = torch::binary_cross_entropy_with_logits(student->forward(x, &gen), target);
      opt_s->zero_grad();
      loss.backward();
      opt_s->step();
      loss_s = loss.item<double>();
    }
    if (spent_out) break;
    // Generator: against the student.
    const Fake f = generate(fake_conditions(B, rng), gen);
    const auto loss = bce(student->forward(with_condition(f.rows, f.cond), &gen), 1) +
                      condition_loss(f) + marginal_loss(f);
    opt_g->zero_grad();
    loss.backward();
    opt_g->step();
    loss_g = loss.item<double>();
    if ((step + 1) % report_every == 0) {
      std::ostringstream line;
      line.precision(4);
      line << "pate_ctgan: step " << step + 1 << "/" << max_steps << ", epsilon "
           << acc.epsilon(delta) << " of " << epsilon << " (data-dependent), G " << loss_g
           << " student " << loss_s;
      progress(fit, line.str());
    }
  }
  generator_->eval();
  train_ = anchor_ = torch::Tensor();
  data_ = nullptr;

  const double spent = acc.epsilon(delta), independent = acc.independent_epsilon(delta);
  fit.log.info("pate_ctgan: " + std::to_string(step) + " generator steps, " +
               std::to_string(acc.queries()) + " teacher labels; model epsilon " +
               format_double(spent) + " (data-dependent bound; data-independent " +
               format_double(independent) + "), delta " + format_double(delta));
  model_guarantee_ = {
      {"accountant",
       "basic composition of the domain step (zCDP converted to (epsilon, delta)) and the model: "
       "PATE's moments "
       "accountant with the data-dependent bound (Papernot et al. 2017, Theorem 3), as PATE-GAN "
       "(Jordon, Yoon & van der Schaar 2019), its log-moments including the warm start's noisy "
       "1-way marginals (discrete Gaussian, rho-zCDP: l (l + 1) rho at order l)"},
      {"warm_start", {{"share", o_.warm_start}, {"rho", rho}}},
      {"pate",
       {{"teachers", k},
        {"lap_scale", lambda},
        {"labels", acc.queries()},
        {"generator_steps", step},
        {"max_generator_steps", max_steps},
        {"data_independent_epsilon", independent}}},
      {"caveats",
       Json::array({"the model's epsilon comes from PATE's data-dependent bound: it is computed "
                    "from the teachers' true votes, so its value (and when training stopped) "
                    "depends on the data and is not itself differentially private; the "
                    "data-independent bound for the same labels is pate.data_independent_epsilon",
                    "teachers and student are not DP themselves; only the noisy labels leave "
                    "the teachers, and the teachers are discarded after training"})},
      {"noise",
       "domain step: exact discrete Laplace; warm start: exact discrete Gaussian; teacher votes: "
       "Laplace noise from a floating-point sampler"},
      {"not_covered",
       Json::array({"floating-point noise sampling on the votes (no exact Laplace sampler)"})}};
  return Json::array(
      {{{"what", std::string(rho > 0 ? "warm start (noisy 1-way marginals) and " : "") +
                     "teacher votes: " + std::to_string(acc.queries()) +
                     " noisy labels (PATE, data-dependent moments accountant)"},
        {"epsilon", spent},
        {"delta", delta}}});
}

}  // namespace

std::unique_ptr<Synthesizer> make_pate_ctgan() {
  return std::make_unique<PateCtgan>();
}

}  // namespace calm
