// Networks, likelihoods and training loop of the single-cell VAE (single_cell_vae.hpp).
#include "models/deep/single_cell_vae.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <optional>
#include <sstream>

#include "calm/core/error.hpp"
#include "models/deep/ordered_ops.hpp"
#include "models/deep/zinb_kernel.hpp"

namespace calm {
namespace {

constexpr double kEps = 1e-8;
constexpr double kVarEps = 1e-4;  // floor of q(z|x)'s variance (scvi-tools' var_eps)

// Summed KL(N(mean, var) || N(0, I)) per cell.
torch::Tensor kl_standard_normal(const torch::Tensor& mean, const torch::Tensor& var) {
  return 0.5 * (var + mean.pow(2) - 1 - var.log()).sum(1);
}

// The ZINB log-likelihood per cell as one autograd node on the CPU (zinb_kernel.hpp): two fused
// passes forward and two backward instead of some 40 tensor operations. scvi, 10k cells x 2k
// genes, 2 threads, 6 epochs: 1.9 s -> 1.1 s per epoch, the same loss (2165.7) to five digits.
// Other devices keep the tensor expression below.
class ZinbLogLikelihood : public torch::autograd::Function<ZinbLogLikelihood> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& mu,
                               const torch::Tensor& pi, const torch::Tensor& theta,
                               const torch::Tensor& nz_index, const torch::Tensor& nz_value) {
    const auto m = mu.contiguous(), p = pi.contiguous(), t = theta.contiguous();
    auto ll = torch::empty({m.size(0)}, m.options());
    const bool need_grad = mu.requires_grad() || pi.requires_grad() || theta.requires_grad();
    // The forward pass's per-entry pieces that spare the gradient its logarithms and exponentials.
    const auto pieces =
        need_grad ? torch::empty({3, m.size(0), m.size(1)}, m.options()) : torch::Tensor();
    const auto saved = need_grad ? pieces_of(pieces) : ZinbSaved{};
    zinb_log_likelihood(batch(m, p, t, nz_index, nz_value), ll.data_ptr<float>(),
                        at::get_num_threads(), need_grad ? &saved : nullptr);
    ctx->save_for_backward({m, p, t, nz_index, nz_value, pieces});
    return ll;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    const auto saved = ctx->get_saved_variables();
    const auto &m = saved[0], &p = saved[1], &t = saved[2];
    const auto go = grad[0].contiguous();
    auto gmu = torch::empty_like(m), gpi = torch::empty_like(p), gt = torch::empty_like(t);
    auto scratch = torch::empty_like(m);
    zinb_log_likelihood_grad(batch(m, p, t, saved[3], saved[4]), pieces_of(saved[5]),
                             go.data_ptr<float>(), gmu.data_ptr<float>(), gpi.data_ptr<float>(),
                             gt.data_ptr<float>(), scratch.data_ptr<float>(),
                             at::get_num_threads());
    return {gmu, gpi, gt, torch::Tensor(), torch::Tensor()};
  }

 private:
  static ZinbBatch batch(const torch::Tensor& m, const torch::Tensor& p, const torch::Tensor& t,
                         const torch::Tensor& nz_index, const torch::Tensor& nz_value) {
    ZinbBatch b;
    b.cells = static_cast<size_t>(m.size(0));
    b.genes = static_cast<size_t>(m.size(1));
    b.mu = m.data_ptr<float>();
    b.pi = p.data_ptr<float>();
    b.theta = t.data_ptr<float>();
    b.nz_index = nz_index.data_ptr<int64_t>();
    b.nz_value = nz_value.data_ptr<float>();
    b.nnz = static_cast<size_t>(nz_value.numel());
    return b;
  }

  static ZinbSaved pieces_of(const torch::Tensor& pieces) {
    ZinbSaved s;
    s.log_den = pieces[0].data_ptr<float>();
    s.sigmoid_nb0_pi = pieces[1].data_ptr<float>();
    s.sigmoid_neg_pi = pieces[2].data_ptr<float>();
    return s;
  }
};

}  // namespace

FcStackImpl::FcStackImpl(int64_t in, int64_t hidden, int64_t layers, int64_t n_cov_, double dropout)
    : n_cov(n_cov_) {
  int64_t dim = in;
  for (int64_t l = 0; l < layers; ++l) {
    fc.push_back(register_module("fc" + std::to_string(l), torch::nn::Linear(dim + n_cov, hidden)));
    // scvi-tools' BatchNorm settings (eps 1e-3, momentum 0.01).
    bn.push_back(register_module(
        "bn" + std::to_string(l),
        torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(hidden).eps(1e-3).momentum(0.01))));
    dim = hidden;
  }
  drop = register_module("drop", torch::nn::Dropout(dropout));
}

torch::Tensor FcStackImpl::forward(torch::Tensor x, const torch::Tensor& cov) {
  for (size_t l = 0; l < fc.size(); ++l) {
    if (n_cov > 0) x = torch::cat({x, cov}, 1);
    x = drop(torch::relu(ordered_batch_norm(bn[l], ordered_linear(fc[l], x))));
  }
  return x;
}

SingleCellVaeImpl::SingleCellVaeImpl(const VaeShape& s) : shape(s) {
  const int64_t cov = s.n_batches > 1 ? s.n_batches : 0;
  encoder = register_module("encoder", FcStack(s.genes, s.n_hidden, s.n_layers, 0, s.dropout));
  z_mean = register_module("z_mean", torch::nn::Linear(s.n_hidden, s.n_latent));
  z_logvar = register_module("z_logvar", torch::nn::Linear(s.n_hidden, s.n_latent));
  // The decoder has no dropout (scvi-tools' DecoderSCVI).
  decoder = register_module("decoder", FcStack(s.n_latent, s.n_hidden, s.n_layers, cov, 0.0));
  out_main = register_module("out_main", torch::nn::Linear(s.n_hidden + cov, s.genes));
  if (s.likelihood == GeneLikelihood::zinb)
    out_dropout = register_module("out_dropout", torch::nn::Linear(s.n_hidden + cov, s.genes));
  if (s.likelihood != GeneLikelihood::mse)
    gene_param = register_parameter("gene_param", s.likelihood == GeneLikelihood::normal
                                                      ? torch::zeros({s.genes})
                                                      : torch::randn({s.genes}));
}

std::pair<torch::Tensor, torch::Tensor> SingleCellVaeImpl::encode(const torch::Tensor& input) {
  const auto h = encoder->forward(input, torch::Tensor());
  return {z_mean(h), torch::exp(z_logvar(h)) + kVarEps};
}

Decoded SingleCellVaeImpl::decode(const torch::Tensor& z, const torch::Tensor& onehot) {
  auto h = decoder->forward(z, onehot);
  if (shape.n_batches > 1) h = torch::cat({h, onehot}, 1);
  Decoded d;
  d.main = ordered_linear(out_main, h);
  if (shape.likelihood == GeneLikelihood::zinb || shape.likelihood == GeneLikelihood::nb)
    d.main = torch::softmax(d.main, 1);
  if (shape.likelihood == GeneLikelihood::zinb) d.dropout = ordered_linear(out_dropout, h);
  return d;
}

torch::Tensor SingleCellVaeImpl::log_likelihood(const CellBatch& b, const Decoded& d) {
  const auto& x = b.target;
  switch (shape.likelihood) {
    case GeneLikelihood::mse:
      return -0.5 * (x - d.main).pow(2).sum(1);
    case GeneLikelihood::normal: {
      const auto log_sd = gene_param.unsqueeze(0);
      return (-0.5 * ((x - d.main) * torch::exp(-log_sd)).pow(2) - log_sd -
              0.5 * std::log(2 * M_PI))
          .sum(1);
    }
    case GeneLikelihood::nb:
    case GeneLikelihood::zinb:
      break;
  }
  // NB(x; mu, theta) = theta log(theta / (theta + mu)) + x log(mu / (theta + mu))
  //                    + lgamma(x + theta) - lgamma(theta) - lgamma(x + 1).
  // The first term is needed at every entry; the x-dependent rest is zero where x = 0, so it is
  // evaluated at the stored values only (single-cell matrices are mostly zeros).
  const auto mu = torch::exp(b.log_library) * d.main;
  const auto theta = torch::exp(gene_param);
  if (shape.likelihood == GeneLikelihood::zinb && mu.device().is_cpu())
    return ZinbLogLikelihood::apply(mu, d.dropout, theta, b.nz_index, b.nz_value);
  const auto log_theta_mu = torch::log(theta.unsqueeze(0) + mu + kEps);
  const auto theta_term =
      theta.unsqueeze(0) * (torch::log(theta + kEps).unsqueeze(0) - log_theta_mu);
  const auto theta_nz = theta.index_select(0, b.nz_gene);
  const auto& x_nz = b.nz_value;
  auto at_nz = [&](const torch::Tensor& full) {
    return full.reshape(-1).index_select(0, b.nz_index);
  };
  const auto core_nz = x_nz * (torch::log(at_nz(mu) + kEps) - at_nz(log_theta_mu)) +
                       torch::lgamma(x_nz + theta_nz) -
                       torch::lgamma(theta).index_select(0, b.nz_gene) - torch::lgamma(x_nz + 1);
  // Adds per-entry values at the stored positions (unique, so the sum order is fixed).
  auto scatter = [&](const torch::Tensor& values) {
    return torch::zeros({mu.numel()}, values.options())
        .index_add(0, b.nz_index, values)
        .view(mu.sizes());
  };
  if (shape.likelihood == GeneLikelihood::nb) return (theta_term + scatter(core_nz)).sum(1);
  // ZINB with dropout probability sigmoid(pi): log(pi' + (1 - pi') NB(0)) at zeros,
  // log(1 - pi') + log NB(x) elsewhere, in softplus form for stability.
  const auto& pi = d.dropout;
  const auto softplus_neg_pi = torch::softplus(-pi);  // -log(1 - sigmoid(pi))
  const auto zero_case = torch::softplus(-pi + theta_term) - softplus_neg_pi;
  const auto nonzero_nz = -at_nz(softplus_neg_pi) - at_nz(pi) + at_nz(theta_term) + core_nz;
  return (zero_case + scatter(nonzero_nz - at_nz(zero_case))).sum(1);
}

torch::Tensor SingleCellVaeImpl::draw(const Decoded& d, const torch::Tensor& log_library,
                                      at::Generator& gen) {
  if (shape.likelihood == GeneLikelihood::mse) return d.main;
  if (shape.likelihood == GeneLikelihood::normal) {
    const auto noise = torch::randn(d.main.sizes(), gen, torch::kFloat).to(d.main.device());
    return d.main + noise * torch::exp(gene_param).unsqueeze(0);
  }
  // Gamma-Poisson: lambda ~ Gamma(theta, mu / theta), x ~ Poisson(lambda). The draws run on the
  // CPU generator (same draws on any device).
  const auto mu = (torch::exp(log_library) * d.main).cpu();
  const auto theta = torch::exp(gene_param).cpu().unsqueeze(0).expand_as(mu).contiguous();
  const auto gamma = at::_standard_gamma(theta, gen) * mu / theta;
  auto counts = at::poisson(gamma, gen);
  if (shape.likelihood == GeneLikelihood::zinb) {
    const auto drop = torch::rand(mu.sizes(), gen, torch::kFloat) < torch::sigmoid(d.dropout.cpu());
    counts = counts.masked_fill(drop, 0);
  }
  return counts;
}

torch::Tensor apply_transform(const torch::Tensor& x, ExpressionTransform t,
                              const torch::Tensor& library) {
  switch (t) {
    case ExpressionTransform::none:
      return x;
    case ExpressionTransform::log1p:
      return torch::log1p(x);
    case ExpressionTransform::cp10k_log1p:
      return torch::log1p(x * (1e4 / library.clamp_min(kEps)));
  }
  return x;
}

torch::Tensor invert_transform(const torch::Tensor& y, ExpressionTransform t,
                               const torch::Tensor& library) {
  switch (t) {
    case ExpressionTransform::none:
      return y;
    case ExpressionTransform::log1p:
      return torch::expm1(y).clamp_min(0);
    case ExpressionTransform::cp10k_log1p:
      return torch::expm1(y).clamp_min(0) * (library / 1e4);
  }
  return y;
}

torch::Tensor batch_onehot(const std::vector<int32_t>& codes, int64_t n_batches,
                           const torch::Device& device) {
  const auto n = static_cast<int64_t>(codes.size());
  if (n_batches <= 1) return torch::zeros({n, 0}, torch::kFloat).to(device);
  auto t = torch::zeros({n, n_batches}, torch::kFloat);
  auto a = t.accessor<float, 2>();
  for (int64_t i = 0; i < n; ++i) a[i][codes[static_cast<size_t>(i)]] = 1.0f;
  return t.to(device);
}

CellBatch VaeData::rows(const int64_t* rows, size_t count, GeneLikelihood l,
                        const torch::Device& device) const {
  const auto n = static_cast<int64_t>(count), G = static_cast<int64_t>(x.cols);
  int64_t stored = 0;
  for (size_t i = 0; i < count; ++i) {
    const auto r = static_cast<size_t>(rows[i]);
    stored += x.indptr[r + 1] - x.indptr[r];
  }
  // Densified per minibatch from the CSR: only `count` dense rows ever exist. The tensors are
  // filled in place (no intermediate vectors: this ran serially in every training step).
  // Count likelihoods read the counts from the stored values only; the dense matrix is then the
  // encoder's input log1p(x), written directly (log1p(0) = 0).
  const bool counts = counts_likelihood(l);
  auto dense = torch::zeros({n, G}, torch::kFloat);
  auto lib = torch::empty({n, 1}, torch::kFloat);
  auto nz_index = torch::empty({stored}, torch::kLong),
       nz_gene = torch::empty({stored}, torch::kLong);
  auto nz_value = torch::empty({stored}, torch::kFloat);
  float* d = dense.data_ptr<float>();
  float* lp = lib.data_ptr<float>();
  int64_t* at_index = nz_index.data_ptr<int64_t>();
  int64_t* at_gene = nz_gene.data_ptr<int64_t>();
  float* at_value = nz_value.data_ptr<float>();
  std::vector<int32_t> codes(count, 0);
  int64_t k = 0;
  for (size_t i = 0; i < count; ++i) {
    const auto r = static_cast<size_t>(rows[i]);
    const int64_t row = static_cast<int64_t>(i) * G;
    for (auto s = x.indptr[r]; s < x.indptr[r + 1]; ++s, ++k) {
      const int64_t g = x.indices[static_cast<size_t>(s)];
      at_index[k] = row + g;
      at_gene[k] = g;
      at_value[k] = x.data[static_cast<size_t>(s)];
    }
    lp[i] = static_cast<float>(library[r]);
    if (!batch.empty()) codes[i] = batch[r];
  }
  std::vector<float> log1p_x(counts ? static_cast<size_t>(stored) : 0);
  if (counts) log1p_values(at_value, log1p_x.size(), log1p_x.data());
  const float* dense_values = counts ? log1p_x.data() : at_value;
  for (int64_t j = 0; j < stored; ++j) d[at_index[j]] = dense_values[j];
  CellBatch b;
  b.onehot = batch_onehot(codes, n_batches, device);
  b.nz_index = nz_index.to(device);
  b.nz_gene = nz_gene.to(device);
  b.nz_value = nz_value.to(device);
  b.log_library = torch::log(lib.clamp_min(kEps)).to(device);
  if (counts) {
    b.input = dense.to(device);
  } else {
    b.target = apply_transform(dense, transform, lib).to(device);
    b.input = b.target;
  }
  return b;
}

int train_single_cell_vae(SingleCellVae& model, const VaeData& data, const SingleCellVaeOptions& o,
                          const torch::Device& device, Rng& rng, const Logger& log,
                          const std::string& method) {
  const size_t n = data.x.rows;
  std::vector<int64_t> cells(n);
  std::iota(cells.begin(), cells.end(), 0);
  for (size_t i = n; i > 1; --i) std::swap(cells[i - 1], cells[rng.below(i)]);
  // The validation split exists only for early stopping and only with at least 2 cells in it
  // (BatchNorm needs 2 cells per step; scvi-tools trains on train_size either way).
  auto n_train = static_cast<size_t>(std::ceil(o.train_size * static_cast<double>(n)));
  if (!o.early_stopping || n - std::min(n, n_train) < 2 || n_train < 2) n_train = n;
  std::vector<int64_t> train(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(n_train));
  const std::vector<int64_t> valid(cells.begin() + static_cast<std::ptrdiff_t>(n_train),
                                   cells.end());
  const bool stop_early = !valid.empty();

  model->to(device);
  // scvi-tools' Adam settings (eps 0.01, weight decay 1e-6); the fused one on the CPU.
  constexpr double kAdamEps = 0.01, kWeightDecay = 1e-6;
  std::optional<FusedAdam> fused;
  std::optional<torch::optim::Adam> adam;
  if (device.is_cpu())
    fused.emplace(model->parameters(), o.learning_rate, kAdamEps, kWeightDecay);
  else
    adam.emplace(
        model->parameters(),
        torch::optim::AdamOptions(o.learning_rate).eps(kAdamEps).weight_decay(kWeightDecay));
  at::Generator gen = make_generator(rng);
  const auto lik = model->shape.likelihood;
  const auto B = static_cast<size_t>(o.batch_size);

  auto elbo_terms = [&](const CellBatch& b, bool sample_z) {
    const auto [mean, var] = model->encode(b.input);
    auto z = mean;
    if (sample_z)
      z = mean + torch::sqrt(var) * torch::randn(mean.sizes(), gen, torch::kFloat).to(device);
    const auto rec = -model->log_likelihood(b, model->decode(z, b.onehot));
    return std::make_pair(rec, kl_standard_normal(mean, var));
  };

  EpochReporter report(log, method, o.epochs, o.verbose);
  double best = std::numeric_limits<double>::infinity(), last_train = 0, last_valid = 0;
  int since_best = 0, epoch = 0;
  for (; epoch < o.epochs; ++epoch) {
    const double kl_w = o.kl_warmup_epochs > 0
                            ? o.kl_weight * std::min(1.0, epoch / double(o.kl_warmup_epochs))
                            : o.kl_weight;
    model->train();
    for (size_t i = train.size(); i > 1; --i) std::swap(train[i - 1], train[rng.below(i)]);
    double sum = 0;
    size_t seen = 0;
    for (size_t begin = 0; begin < train.size(); begin += B) {
      const size_t count = std::min(B, train.size() - begin);
      if (count < 2) continue;  // BatchNorm cannot train on one cell
      const auto b = data.rows(train.data() + begin, count, lik, device);
      const auto [rec, kl] = elbo_terms(b, true);
      const auto loss = (rec + kl_w * kl).mean();
      if (fused)
        fused->zero_grad();
      else
        adam->zero_grad();
      loss.backward();
      if (fused)
        fused->step();
      else
        adam->step();
      sum += loss.item<double>() * static_cast<double>(count);
      seen += count;
    }
    last_train = seen ? sum / static_cast<double>(seen) : 0;
    std::ostringstream s;
    s.precision(5);
    s << "loss " << last_train;
    if (stop_early) {
      model->eval();
      torch::NoGradGuard no_grad;
      double v = 0;
      for (size_t begin = 0; begin < valid.size(); begin += 1024) {
        const size_t count = std::min<size_t>(1024, valid.size() - begin);
        const auto b = data.rows(valid.data() + begin, count, lik, device);
        const auto [rec, kl] = elbo_terms(b, false);
        v += (rec + kl).sum().item<double>();
      }
      last_valid = v / static_cast<double>(valid.size());
      s << ", validation ELBO " << last_valid;
      if (last_valid < best) {
        best = last_valid;
        since_best = 0;
      } else if (++since_best >= o.early_stopping_patience) {
        report.epoch_done(s.str());
        ++epoch;
        log.info(method + ": early stopping after epoch " + std::to_string(epoch) +
                 " (validation ELBO did not improve for " + std::to_string(since_best) +
                 " epochs)");
        break;
      }
    }
    report.epoch_done(s.str());
  }
  std::ostringstream s;
  s.precision(5);
  s << "loss " << last_train;
  if (stop_early) s << ", validation ELBO " << last_valid;
  report.finish(s.str());
  model->eval();
  return epoch;
}

std::pair<torch::Tensor, torch::Tensor> posterior(SingleCellVae& model, const VaeData& data,
                                                  const torch::Device& device) {
  torch::NoGradGuard no_grad;
  model->eval();
  const size_t n = data.x.rows;
  std::vector<int64_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::vector<torch::Tensor> means, vars;
  for (size_t begin = 0; begin < n; begin += 1024) {
    const size_t count = std::min<size_t>(1024, n - begin);
    const auto b = data.rows(all.data() + begin, count, model->shape.likelihood, device);
    auto [m, v] = model->encode(b.input);
    means.push_back(m.cpu());
    vars.push_back(v.cpu());
  }
  return {torch::cat(means), torch::cat(vars)};
}

}  // namespace calm
