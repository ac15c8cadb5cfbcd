// The fused ZINB log-likelihood (see zinb_kernel.hpp). Built with -ffast-math -fopenmp-simd
// (CMakeLists.txt) so that the loops below become vector code calling glibc's vector logf/expf
// (libmvec); on x86-64 each loop also comes in an AVX2 + FMA clone picked at load time.
#include "models/deep/zinb_kernel.hpp"

#include <math.h>

#include <algorithm>
#include <vector>

namespace calm {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CALM_ZINB_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CALM_ZINB_CLONES
#endif

namespace {

constexpr float kEps = 1e-8f;
constexpr float kHalfLog2Pi = 0.91893853320467274f;

inline float softplus(float x) {
  return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}
inline float sigmoid(float x) {
  return 1.0f / (1.0f + expf(-fminf(fmaxf(x, -80.0f), 80.0f)));
}

// lgamma / digamma for z > 0: below 8 the recurrences lgamma(z) = lgamma(z + 8) -
// log(z (z+1) ... (z+7)) and digamma(z) = digamma(z + 8) - sum 1 / (z + k) move z past 8, where
// Stirling's series (three terms) is accurate to float precision. Written without branches so
// that loops over them vectorise.
inline float lgamma_pos(float z) {
  const bool shift = z < 8.0f;
  const float zc = fminf(z, 8.0f);
  float prod = zc;
  for (int k = 1; k < 8; ++k) prod *= zc + static_cast<float>(k);
  const float w = shift ? z + 8.0f : z;
  const float r = 1.0f / w, r2 = r * r;
  const float series = r * (1.0f / 12 - r2 * (1.0f / 360 - r2 * (1.0f / 1260)));
  const float big = (w - 0.5f) * logf(w) - w + kHalfLog2Pi + series;
  return big - (shift ? logf(prod) : 0.0f);
}

inline float digamma_pos(float z) {
  const bool shift = z < 8.0f;
  const float zc = fminf(z, 8.0f);
  float sum = 0;
  for (int k = 0; k < 8; ++k) sum += 1.0f / (zc + static_cast<float>(k));
  const float w = shift ? z + 8.0f : z;
  const float r = 1.0f / w, r2 = r * r;
  const float series = r2 * (1.0f / 12 - r2 * (1.0f / 120 - r2 * (1.0f / 252)));
  return logf(w) - 0.5f * r - series - (shift ? sum : 0.0f);
}

// Per-gene values used at every cell.
struct GeneTerms {
  std::vector<float> log_theta, lgamma_theta, digamma_theta;
  GeneTerms(const ZinbBatch& b, bool grad) : log_theta(b.genes), lgamma_theta(b.genes) {
    if (grad) digamma_theta.resize(b.genes);
    for (size_t g = 0; g < b.genes; ++g) {
      log_theta[g] = logf(b.theta[g] + kEps);
      lgamma_theta[g] = lgamma_pos(b.theta[g]);
      if (grad) digamma_theta[g] = digamma_pos(b.theta[g]);
    }
  }
};

// [first, last) of cell i's stored counts.
std::pair<size_t, size_t> stored_range(const ZinbBatch& b, size_t i) {
  const int64_t* begin = b.nz_index;
  const int64_t* end = b.nz_index + b.nnz;
  const auto g = static_cast<int64_t>(b.genes);
  const int64_t* lo = std::lower_bound(begin, end, static_cast<int64_t>(i) * g);
  const int64_t* hi = std::lower_bound(lo, end, static_cast<int64_t>(i + 1) * g);
  return {static_cast<size_t>(lo - begin), static_cast<size_t>(hi - begin)};
}

// One cell's stored counts gathered into contiguous arrays (the vector loops read them in order).
struct Gathered {
  std::vector<float> x, m, p, t, lt, lgt, dgt;
  std::vector<size_t> at;
  void fill(const ZinbBatch& b, const GeneTerms& terms, size_t i, size_t first, size_t last) {
    const size_t k = last - first;
    for (auto* v : {&x, &m, &p, &t, &lt, &lgt, &dgt}) v->resize(k);
    at.resize(k);
    const size_t row = i * b.genes;
    for (size_t j = 0; j < k; ++j) {
      const auto pos = static_cast<size_t>(b.nz_index[first + j]);
      const size_t g = pos - row;
      at[j] = pos;
      x[j] = b.nz_value[first + j];
      m[j] = b.mu[pos];
      p[j] = b.pi[pos];
      t[j] = b.theta[g];
      lt[j] = terms.log_theta[g];
      lgt[j] = terms.lgamma_theta[g];
      if (!terms.digamma_theta.empty()) dgt[j] = terms.digamma_theta[g];
    }
  }
};

// Sum over a cell's genes of the zero case.
CALM_ZINB_CLONES float zero_case_sum(const float* mu, const float* pi, const float* theta,
                                     const float* log_theta, size_t genes) {
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (size_t g = 0; g < genes; ++g) {
    const float t = theta[g], p = pi[g];
    const float nb0 = t * (log_theta[g] - logf(t + mu[g] + kEps));
    s += softplus(nb0 - p) - softplus(-p);
  }
  return s;
}

// Sum over a cell's stored counts of (non-zero case - zero case).
CALM_ZINB_CLONES float stored_correction_sum(const Gathered& c) {
  const size_t k = c.x.size();
  const float *x = c.x.data(), *m = c.m.data(), *p = c.p.data(), *t = c.t.data(), *lt = c.lt.data(),
              *lgt = c.lgt.data();
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (size_t j = 0; j < k; ++j) {
    const float log_den = logf(t[j] + m[j] + kEps);
    const float nb0 = t[j] * (lt[j] - log_den);
    const float sp_neg = softplus(-p[j]);
    const float zero = softplus(nb0 - p[j]) - sp_neg;
    const float nb = nb0 + x[j] * (logf(m[j] + kEps) - log_den) + lgamma_pos(x[j] + t[j]) - lgt[j] -
                     lgamma_pos(x[j] + 1.0f);
    s += (-sp_neg - p[j] + nb) - zero;
  }
  return s;
}

// A cell's zero-case gradients at every gene; d/dtheta into `gth`.
CALM_ZINB_CLONES void zero_case_grad(const float* mu, const float* pi, const float* theta,
                                     const float* log_theta, size_t genes, float go, float* gmu,
                                     float* gpi, float* gth) {
#pragma omp simd
  for (size_t g = 0; g < genes; ++g) {
    const float t = theta[g], p = pi[g], den = t + mu[g] + kEps;
    const float log_den = logf(den);
    const float nb0 = t * (log_theta[g] - log_den);
    const float s = sigmoid(nb0 - p);
    gmu[g] = go * s * (-t / den);
    gpi[g] = go * (sigmoid(-p) - s);
    gth[g] = go * s * (log_theta[g] - log_den + t / (t + kEps) - t / den);
  }
}

// A cell's gradients at its stored counts (the non-zero case), written over the zero case's.
CALM_ZINB_CLONES void stored_grad(const Gathered& c, float go, float* gmu, float* gpi, float* gth) {
  const size_t k = c.x.size();
  const float *x = c.x.data(), *m = c.m.data(), *p = c.p.data(), *t = c.t.data(), *lt = c.lt.data(),
              *dgt = c.dgt.data();
#pragma omp simd
  for (size_t j = 0; j < k; ++j) {
    const float den = t[j] + m[j] + kEps;
    const float dnb0_dt = lt[j] - logf(den) + t[j] / (t[j] + kEps) - t[j] / den;
    gmu[j] = go * (-t[j] / den + x[j] * (1.0f / (m[j] + kEps) - 1.0f / den));
    gpi[j] = go * (sigmoid(-p[j]) - 1.0f);
    gth[j] = go * (dnb0_dt - x[j] / den + digamma_pos(x[j] + t[j]) - dgt[j]);
  }
}

CALM_ZINB_CLONES void add_rows(const float* row, size_t genes, float* sum) {
#pragma omp simd
  for (size_t g = 0; g < genes; ++g) sum[g] += row[g];
}

}  // namespace

float zinb_lgamma(float z) {
  return lgamma_pos(z);
}
float zinb_digamma(float z) {
  return digamma_pos(z);
}

void zinb_log_likelihood(const ZinbBatch& b, float* ll, int threads) {
  const GeneTerms terms(b, false);
  const auto cells = static_cast<int64_t>(b.cells);
#pragma omp parallel num_threads(std::max(threads, 1))
  {
    Gathered c;
#pragma omp for schedule(static)
    for (int64_t ci = 0; ci < cells; ++ci) {
      const auto i = static_cast<size_t>(ci);
      const size_t row = i * b.genes;
      float s = zero_case_sum(b.mu + row, b.pi + row, b.theta, terms.log_theta.data(), b.genes);
      const auto [first, last] = stored_range(b, i);
      if (last > first) {
        c.fill(b, terms, i, first, last);
        s += stored_correction_sum(c);
      }
      ll[i] = s;
    }
  }
}

void zinb_log_likelihood_grad(const ZinbBatch& b, const float* grad_ll, float* grad_mu,
                              float* grad_pi, float* grad_theta, float* scratch, int threads) {
  const GeneTerms terms(b, true);
  const auto cells = static_cast<int64_t>(b.cells);
  const int team = std::max(threads, 1);
#pragma omp parallel num_threads(team)
  {
    Gathered c;
    std::vector<float> gmu, gpi, gth;
#pragma omp for schedule(static)
    for (int64_t ci = 0; ci < cells; ++ci) {
      const auto i = static_cast<size_t>(ci);
      const size_t row = i * b.genes;
      zero_case_grad(b.mu + row, b.pi + row, b.theta, terms.log_theta.data(), b.genes, grad_ll[i],
                     grad_mu + row, grad_pi + row, scratch + row);
      const auto [first, last] = stored_range(b, i);
      if (last == first) continue;
      c.fill(b, terms, i, first, last);
      const size_t k = last - first;
      gmu.resize(k), gpi.resize(k), gth.resize(k);
      stored_grad(c, grad_ll[i], gmu.data(), gpi.data(), gth.data());
      for (size_t j = 0; j < k; ++j) {
        grad_mu[c.at[j]] = gmu[j];
        grad_pi[c.at[j]] = gpi[j];
        scratch[c.at[j]] = gth[j];
      }
    }
    // d/dtheta: each block of genes summed over the cells in cell order by one thread.
    constexpr size_t kBlock = 256;
    const auto blocks = static_cast<int64_t>((b.genes + kBlock - 1) / kBlock);
#pragma omp for schedule(static)
    for (int64_t bi = 0; bi < blocks; ++bi) {
      const size_t g0 = static_cast<size_t>(bi) * kBlock, w = std::min(kBlock, b.genes - g0);
      std::fill(grad_theta + g0, grad_theta + g0 + w, 0.0f);
      for (size_t i = 0; i < b.cells; ++i) add_rows(scratch + i * b.genes + g0, w, grad_theta + g0);
    }
  }
}

}  // namespace calm
