// Thread-count-invariant building blocks of the single-cell VAE's CPU training (see
// ordered_ops.hpp).
#include "models/deep/ordered_ops.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

namespace calm {
namespace {

// sum[j] += m[i][j] over the rows of a row-major rows x cols matrix, each column in row order (so
// the sums do not depend on how work is split between threads).
void add_columns(const float* m, int64_t rows, int64_t cols, float* sum) {
  for (int64_t i = 0; i < rows; ++i) {
    const float* r = m + i * cols;
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) sum[j] += r[j];
  }
}

// A Linear layer whose products run as two halves (rows of the input for y and dx, rows of the
// weight for dW), at the same time when two threads are allowed. The halves depend on the shapes
// only, so the result is the same for any thread count, as calm's output must be (OpenBLAS's own
// threads change the products' rounding: torch_common.cpp keeps them at one). The products of
// the genes-wide layers (the encoder's input, the decoder's heads) were half of a training step.
class SplitLinear : public torch::autograd::Function<SplitLinear> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight, const torch::Tensor& bias) {
    ctx->save_for_backward({x, weight});
    torch::NoGradGuard no_grad;  // the products below are this node's, not recorded
    auto y = torch::empty({x.size(0), weight.size(0)}, x.options());
    halves(x.size(0), [&](int64_t a, int64_t b) {
      auto part = y.narrow(0, a, b - a);
      at::addmm_out(part, bias, x.narrow(0, a, b - a), weight.t());
    });
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    const auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &weight = saved[1];
    torch::NoGradGuard no_grad;
    const auto gy = grad[0].contiguous();
    torch::Tensor gx;
    if (ctx->needs_input_grad(0)) {
      gx = torch::empty_like(x);
      halves(x.size(0), [&](int64_t a, int64_t b) {
        auto part = gx.narrow(0, a, b - a);
        at::mm_out(part, gy.narrow(0, a, b - a), weight);
      });
    }
    auto gw = torch::empty_like(weight);
    halves(weight.size(0), [&](int64_t a, int64_t b) {
      auto part = gw.narrow(0, a, b - a);
      at::mm_out(part, gy.narrow(1, a, b - a).t(), x);
    });
    return {gx, gw, column_sums(gy)};
  }

 private:
  // The bias gradient: each column summed over the rows in row order. (gy.sum(0), as torch's own
  // Linear computes it, splits the rows between threads for a wide gy: the sums then depend on
  // the thread count.)
  static torch::Tensor column_sums(const torch::Tensor& gy) {
    auto out = torch::zeros({gy.size(1)}, gy.options());
    add_columns(gy.data_ptr<float>(), gy.size(0), gy.size(1), out.data_ptr<float>());
    return out;
  }

  // f(0, n / 2) and f(n / 2, n), on two threads when allowed; an exception is rethrown here (it
  // must not leave an OpenMP thread).
  template <class F>
  static void halves(int64_t n, const F& f) {
    const int64_t mid = n / 2;
    if (mid == 0) return f(0, n);
    std::exception_ptr failed[2];
#pragma omp parallel for num_threads(std::min(2, std::max(1, at::get_num_threads())))
    for (int half = 0; half < 2; ++half) {
      try {
        torch::NoGradGuard no_grad;  // grad mode is per thread
        half == 0 ? f(0, mid) : f(mid, n);
      } catch (...) {
        failed[half] = std::current_exception();
      }
    }
    for (const auto& e : failed)
      if (e) std::rethrow_exception(e);
  }
};

// BatchNorm1d in training mode on a (cells, features) batch with the statistics summed in cell
// order: torch's CPU kernel splits the cells between threads for such a batch, which made the
// output depend on the thread count. Running statistics are updated as torch updates them
// (momentum, unbiased variance).
class BatchNormRows : public torch::autograd::Function<BatchNormRows> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x_in,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               torch::Tensor running_mean, torch::Tensor running_var, double eps,
                               double momentum) {
    torch::NoGradGuard no_grad;
    const auto x = x_in.contiguous();
    const int64_t n = x.size(0), c = x.size(1);
    auto xhat = torch::empty_like(x), y = torch::empty_like(x);
    auto mean = torch::zeros({c}, x.options()), var = torch::zeros({c}, x.options());
    auto inv = torch::empty({c}, x.options());
    const float* px = x.data_ptr<float>();
    float *pm = mean.data_ptr<float>(), *pv = var.data_ptr<float>(), *pinv = inv.data_ptr<float>();
    add_columns(px, n, c, pm);
    const float fn = static_cast<float>(n);
    for (int64_t j = 0; j < c; ++j) pm[j] /= fn;
    for (int64_t i = 0; i < n; ++i) {
      const float* r = px + i * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) pv[j] += (r[j] - pm[j]) * (r[j] - pm[j]);
    }
    const float* w = weight.data_ptr<float>();
    const float* b = bias.data_ptr<float>();
    float* rm = running_mean.data_ptr<float>();
    float* rv = running_var.data_ptr<float>();
    const auto mom = static_cast<float>(momentum);
    for (int64_t j = 0; j < c; ++j) {
      pinv[j] = 1.0f / std::sqrt(pv[j] / fn + static_cast<float>(eps));
      rm[j] = (1 - mom) * rm[j] + mom * pm[j];
      rv[j] = (1 - mom) * rv[j] + mom * pv[j] / std::max(fn - 1, 1.0f);
    }
    float* ph = xhat.data_ptr<float>();
    float* py = y.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
      const float* r = px + i * c;
      float *h = ph + i * c, *o = py + i * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        h[j] = (r[j] - pm[j]) * pinv[j];
        o[j] = h[j] * w[j] + b[j];
      }
    }
    ctx->save_for_backward({xhat, inv, weight});
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    torch::NoGradGuard no_grad;
    const auto saved = ctx->get_saved_variables();
    const auto &xhat = saved[0], &inv = saved[1], &weight = saved[2];
    const auto gy = grad[0].contiguous();
    const int64_t n = gy.size(0), c = gy.size(1);
    auto gw = torch::zeros({c}, gy.options()), gb = torch::zeros({c}, gy.options());
    auto gx = torch::empty_like(gy);
    const float *g = gy.data_ptr<float>(), *h = xhat.data_ptr<float>();
    float *pgw = gw.data_ptr<float>(), *pgb = gb.data_ptr<float>(), *pgx = gx.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
      const float *gr = g + i * c, *hr = h + i * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        pgb[j] += gr[j];
        pgw[j] += gr[j] * hr[j];
      }
    }
    const float *w = weight.data_ptr<float>(), *pinv = inv.data_ptr<float>();
    const auto fn = static_cast<float>(n);
    for (int64_t i = 0; i < n; ++i) {
      const float *gr = g + i * c, *hr = h + i * c;
      float* o = pgx + i * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j)
        o[j] = w[j] * pinv[j] / fn * (fn * gr[j] - pgb[j] - hr[j] * pgw[j]);
    }
    return {gx, gw, gb, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor ordered_batch_norm(torch::nn::BatchNorm1d& bn, const torch::Tensor& x) {
  if (!bn->is_training() || !x.device().is_cpu() || x.dim() != 2) return bn->forward(x);
  return BatchNormRows::apply(x, bn->weight, bn->bias, bn->running_mean, bn->running_var,
                              bn->options.eps(), bn->options.momentum().value());
}

torch::Tensor ordered_linear(torch::nn::Linear& layer, const torch::Tensor& x) {
  if (!x.device().is_cpu()) return layer->forward(x);
  return SplitLinear::apply(x, layer->weight, layer->bias);
}

FusedAdam::FusedAdam(std::vector<torch::Tensor> params, double lr, double eps, double weight_decay)
    : params_(std::move(params)), lr_(lr), eps_(eps), decay_(weight_decay) {
  for (const auto& p : params_) {
    m_.push_back(torch::zeros_like(p));
    v_.push_back(torch::zeros_like(p));
  }
}

// The gradients are dropped rather than zeroed: backward then hands its result over instead of
// adding it to zeros (the same values, without a fill and an add over every parameter).
void FusedAdam::zero_grad() {
  for (auto& p : params_) p.mutable_grad().reset();
}

void FusedAdam::step() {
  ++t_;
  const double b1 = 0.9, b2 = 0.999;
  const auto step_size = static_cast<float>(lr_ / (1 - std::pow(b1, t_)));
  const auto root_bc2 = static_cast<float>(std::sqrt(1 - std::pow(b2, t_)));
  const auto eps = static_cast<float>(eps_), decay = static_cast<float>(decay_);
  const auto fb1 = static_cast<float>(b1), fb2 = static_cast<float>(b2);
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& grad = params_[i].grad();
    if (!grad.defined()) continue;
    const auto g_c = grad.contiguous();
    float* __restrict p = params_[i].data_ptr<float>();
    const float* __restrict g = g_c.data_ptr<float>();
    float* __restrict m = m_[i].data_ptr<float>();
    float* __restrict v = v_[i].data_ptr<float>();
    const int64_t n = params_[i].numel();
    at::parallel_for(0, n, 1 << 15, [=](int64_t a, int64_t b) {
#pragma omp simd
      for (int64_t j = a; j < b; ++j) {
        const float gj = g[j] + decay * p[j];
        m[j] = fb1 * m[j] + (1 - fb1) * gj;
        v[j] = fb2 * v[j] + (1 - fb2) * gj * gj;
        p[j] -= step_size * m[j] / (std::sqrt(v[j]) / root_bc2 + eps);
      }
    });
  }
}

}  // namespace calm
