// The zero-inflated negative-binomial log-likelihood of scvi (Lopez et al. 2018, Nature Methods,
// "Deep generative modeling for single-cell transcriptomics", the ZINB of its methods section)
// and its gradient, fused: one pass over the batch's cells x genes for the zero case, one over the
// stored (non-zero) counts for the rest, where the same expression written as tensor operations
// took some 40 passes forward and backward (docs/single_cell.md). Torch-free, on raw arrays.
//
//   NB(x; mu, theta)  = theta log(theta / (theta + mu)) + x log(mu / (theta + mu))
//                       + lgamma(x + theta) - lgamma(theta) - lgamma(x + 1)
//   ZINB, pi' = sigmoid(pi):  x = 0: log(pi' + (1 - pi') NB(0)) = softplus(NB(0) - pi) -
//   softplus(-pi)
//                             x > 0: log(1 - pi') + NB(x)     = -softplus(-pi) - pi + NB(x)
//
// Each cell's sum runs in a fixed order within one thread, and the per-gene sums of the theta
// gradient over cells in a fixed order too, so the results do not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace calm {

struct ZinbBatch {
  size_t cells = 0, genes = 0;
  const float* mu = nullptr;     // cells x genes, row-major: NB means
  const float* pi = nullptr;     // cells x genes: dropout logits
  const float* theta = nullptr;  // genes: inverse dispersions (> 0)
  // The stored counts: flat positions (cell * genes + gene), increasing by cell, and values > 0.
  const int64_t* nz_index = nullptr;
  const float* nz_value = nullptr;
  size_t nnz = 0;
};

// Per-entry pieces of the forward pass that the gradient reuses (each cells x genes, row-major):
// log(theta + mu + eps), sigmoid(NB(0) - pi) and sigmoid(-pi). With them the gradient's pass over
// every entry needs no logarithm or exponential.
struct ZinbSaved {
  float *log_den = nullptr, *sigmoid_nb0_pi = nullptr, *sigmoid_neg_pi = nullptr;
};

// ll[cell] = sum over genes of the ZINB log-likelihood; `save`, when given, receives the pieces
// the gradient needs.
void zinb_log_likelihood(const ZinbBatch& b, float* ll, int threads,
                         const ZinbSaved* save = nullptr);

// Given d(loss)/d(ll[cell]) = grad_ll[cell] and the pieces the forward pass saved for the same
// batch: d/dmu and d/dpi (cells x genes) and d/dtheta (genes). `scratch` holds cells x genes
// floats.
void zinb_log_likelihood_grad(const ZinbBatch& b, const ZinbSaved& saved, const float* grad_ll,
                              float* grad_mu, float* grad_pi, float* grad_theta, float* scratch,
                              int threads);

// out[i] = log1p(x[i]), vectorised as the kernels are (the encoder's input at the stored counts).
void log1p_values(const float* x, size_t n, float* out);

// lgamma and digamma for z > 0 in float, branch-free (Stirling's series after shifting z past 8),
// as the kernels use them; relative error below 1e-6 (tests/cpp/test_single_cell_scvi.cpp).
float zinb_lgamma(float z);
float zinb_digamma(float z);

}  // namespace calm
