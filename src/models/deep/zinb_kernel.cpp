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
  std::vector<float> log_theta, lgamma_theta, digamma_theta, theta_ratio;
  GeneTerms(const ZinbBatch& b, bool grad) : log_theta(b.genes), lgamma_theta(b.genes) {
    if (grad) digamma_theta.resize(b.genes), theta_ratio.resize(b.genes);
    for (size_t g = 0; g < b.genes; ++g) {
      log_theta[g] = logf(b.theta[g] + kEps);
      lgamma_theta[g] = lgamma_pos(b.theta[g]);
      if (grad) {
        digamma_theta[g] = digamma_pos(b.theta[g]);
        theta_ratio[g] = b.theta[g] / (b.theta[g] + kEps);
      }
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

// sigmoid(v) from e = exp(-|v|), the exponential softplus(v) already took.
inline float sigmoid_from(float v, float e) {
  return (v >= 0 ? 1.0f : e) / (1.0f + e);
}

// One cell's zero case at every gene, summed; the per-gene pieces the rest of the pass and the
// gradient reuse are written to `out` (each `genes` long).
struct ZeroCaseRow {
  float *log_den, *zero, *softplus_neg_pi, *sigmoid_nb0_pi, *sigmoid_neg_pi;
};
CALM_ZINB_CLONES float zero_case_sum(const float* mu, const float* pi, const float* theta,
                                     const float* log_theta, size_t genes, ZeroCaseRow out) {
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (size_t g = 0; g < genes; ++g) {
    const float t = theta[g], p = pi[g];
    const float log_den = logf(t + mu[g] + kEps);
    const float a = t * (log_theta[g] - log_den) - p;  // NB(0) - pi
    const float ea = expf(-fabsf(a)), ep = expf(-fabsf(p));
    const float sp_neg = fmaxf(-p, 0.0f) + log1pf(ep);
    const float zero = fmaxf(a, 0.0f) + log1pf(ea) - sp_neg;
    out.log_den[g] = log_den;
    out.zero[g] = zero;
    out.softplus_neg_pi[g] = sp_neg;
    out.sigmoid_nb0_pi[g] = sigmoid_from(a, ea);
    out.sigmoid_neg_pi[g] = sigmoid_from(-p, ep);
    s += zero;
  }
  return s;
}

// Sum over a cell's stored counts of (non-zero case - zero case); `at` are the counts' genes.
CALM_ZINB_CLONES float stored_correction_sum(const int32_t* at, const float* x, size_t k,
                                             const float* mu, const float* pi, const float* theta,
                                             const GeneTerms& terms, const ZeroCaseRow& row) {
  const float *lt = terms.log_theta.data(), *lgt = terms.lgamma_theta.data();
  const float *ld = row.log_den, *sp_neg = row.softplus_neg_pi, *zero = row.zero;
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (size_t j = 0; j < k; ++j) {
    const int32_t g = at[j];
    const float t = theta[g], log_den = ld[g];
    const float nb = t * (lt[g] - log_den) + x[j] * (logf(mu[g] + kEps) - log_den) +
                     lgamma_pos(x[j] + t) - lgt[g] - lgamma_pos(x[j] + 1.0f);
    s += (-sp_neg[g] - pi[g] + nb) - zero[g];
  }
  return s;
}

// A cell's zero-case gradients at every gene from the forward pass's pieces; d/dtheta into `gth`.
CALM_ZINB_CLONES void zero_case_grad(const float* mu, const float* theta, const GeneTerms& terms,
                                     const ZeroCaseRow& row, size_t genes, float go, float* gmu,
                                     float* gpi, float* gth) {
  const float *lt = terms.log_theta.data(), *tr = terms.theta_ratio.data();
#pragma omp simd
  for (size_t g = 0; g < genes; ++g) {
    const float t = theta[g], t_den = t / (t + mu[g] + kEps), s = row.sigmoid_nb0_pi[g];
    gmu[g] = go * s * -t_den;
    gpi[g] = go * (row.sigmoid_neg_pi[g] - s);
    gth[g] = go * s * (lt[g] - row.log_den[g] + tr[g] - t_den);
  }
}

// A cell's gradients at its stored counts (the non-zero case), into k-long arrays.
CALM_ZINB_CLONES void stored_grad(const int32_t* at, const float* x, size_t k, const float* mu,
                                  const float* theta, const GeneTerms& terms,
                                  const ZeroCaseRow& row, float go, float* gmu, float* gpi,
                                  float* gth) {
  const float *lt = terms.log_theta.data(), *tr = terms.theta_ratio.data(),
              *dgt = terms.digamma_theta.data();
#pragma omp simd
  for (size_t j = 0; j < k; ++j) {
    const int32_t g = at[j];
    const float t = theta[g], m = mu[g], inv_den = 1.0f / (t + m + kEps);
    const float dnb0_dt = lt[g] - row.log_den[g] + tr[g] - t * inv_den;
    gmu[j] = go * (-t * inv_den + x[j] * (1.0f / (m + kEps) - inv_den));
    gpi[j] = go * (row.sigmoid_neg_pi[g] - 1.0f);
    gth[j] = go * (dnb0_dt - x[j] * inv_den + digamma_pos(x[j] + t) - dgt[g]);
  }
}

CALM_ZINB_CLONES void add_rows(const float* row, size_t genes, float* sum) {
#pragma omp simd
  for (size_t g = 0; g < genes; ++g) sum[g] += row[g];
}

// Cell i's stored counts as genes (into `at`) and values.
const float* stored_genes(const ZinbBatch& b, size_t i, size_t first, size_t last,
                          std::vector<int32_t>& at) {
  at.resize(last - first);
  const auto row = static_cast<int64_t>(i * b.genes);
  for (size_t j = first; j < last; ++j) at[j - first] = static_cast<int32_t>(b.nz_index[j] - row);
  return b.nz_value + first;
}

// Where cell `row`'s pieces go: those the gradient reuses into `saved` when given, else (and
// the forward-only ones always) into `own` (5 x genes floats of the thread's).
ZeroCaseRow pieces_of(const ZinbSaved* saved, size_t row, float* own, size_t genes) {
  ZeroCaseRow r{own, own + genes, own + 2 * genes, own + 3 * genes, own + 4 * genes};
  if (saved) {
    r.log_den = saved->log_den + row;
    r.sigmoid_nb0_pi = saved->sigmoid_nb0_pi + row;
    r.sigmoid_neg_pi = saved->sigmoid_neg_pi + row;
  }
  return r;
}

}  // namespace

CALM_ZINB_CLONES void log1p_values(const float* x, size_t n, float* out) {
#pragma omp simd
  for (size_t i = 0; i < n; ++i) out[i] = log1pf(x[i]);
}

float zinb_lgamma(float z) {
  return lgamma_pos(z);
}
float zinb_digamma(float z) {
  return digamma_pos(z);
}

void zinb_log_likelihood(const ZinbBatch& b, float* ll, int threads, const ZinbSaved* save) {
  const GeneTerms terms(b, false);
  const auto cells = static_cast<int64_t>(b.cells);
#pragma omp parallel num_threads(std::max(threads, 1))
  {
    std::vector<int32_t> at;
    std::vector<float> own(5 * b.genes);
#pragma omp for schedule(static)
    for (int64_t ci = 0; ci < cells; ++ci) {
      const auto i = static_cast<size_t>(ci);
      const size_t row = i * b.genes;
      const ZeroCaseRow pieces = pieces_of(save, row, own.data(), b.genes);
      float s =
          zero_case_sum(b.mu + row, b.pi + row, b.theta, terms.log_theta.data(), b.genes, pieces);
      const auto [first, last] = stored_range(b, i);
      if (last > first) {
        const float* x = stored_genes(b, i, first, last, at);
        s += stored_correction_sum(at.data(), x, last - first, b.mu + row, b.pi + row, b.theta,
                                   terms, pieces);
      }
      ll[i] = s;
    }
  }
}

void zinb_log_likelihood_grad(const ZinbBatch& b, const ZinbSaved& saved, const float* grad_ll,
                              float* grad_mu, float* grad_pi, float* grad_theta, float* scratch,
                              int threads) {
  const GeneTerms terms(b, true);
  const auto cells = static_cast<int64_t>(b.cells);
  const int team = std::max(threads, 1);
#pragma omp parallel num_threads(team)
  {
    std::vector<int32_t> at;
    std::vector<float> gmu, gpi, gth;
#pragma omp for schedule(static)
    for (int64_t ci = 0; ci < cells; ++ci) {
      const auto i = static_cast<size_t>(ci);
      const size_t row = i * b.genes;
      const ZeroCaseRow pieces = pieces_of(&saved, row, nullptr, 0);
      zero_case_grad(b.mu + row, b.theta, terms, pieces, b.genes, grad_ll[i], grad_mu + row,
                     grad_pi + row, scratch + row);
      const auto [first, last] = stored_range(b, i);
      if (last == first) continue;
      const float* x = stored_genes(b, i, first, last, at);
      const size_t k = last - first;
      gmu.resize(k), gpi.resize(k), gth.resize(k);
      stored_grad(at.data(), x, k, b.mu + row, b.theta, terms, pieces, grad_ll[i], gmu.data(),
                  gpi.data(), gth.data());
      for (size_t j = 0; j < k; ++j) {
        const auto g = static_cast<size_t>(at[j]);
        grad_mu[row + g] = gmu[j];
        grad_pi[row + g] = gpi[j];
        scratch[row + g] = gth[j];
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
