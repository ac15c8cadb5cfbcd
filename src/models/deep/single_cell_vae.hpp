// The variational autoencoder shared by scvi and scgen, on libtorch.
//
// scvi: Lopez, Regier, Cole, Jordan & Yosef (2018), "Deep generative modeling for single-cell
// transcriptomics", Nature Methods 15:1053. The encoder reads log1p(counts) and gives q(z|x) =
// N(mean, var); the decoder maps z (and the batch's one-hot, injected into every hidden layer as
// scvi-tools does) to the gene shares rho = softmax(.), so the NB mean is library x rho, with a
// per-gene inverse dispersion theta and, for ZINB, per-cell-per-gene dropout logits. The library
// is the observed one (scvi-tools' default `use_observed_lib_size`), so the ELBO has no library KL.
// scgen: Lotfollahi, Wolf & Theis (2019), "scGen predicts single-cell perturbation responses",
// Nature Methods 16:715: the same encoder/decoder with a squared-error (unit Gaussian) likelihood
// on log-normalised expression.
// Training: Adam (eps 0.01, weight decay 1e-6, as scvi-tools), KL weight warmed up linearly, early
// stopping on the validation split's ELBO.
#pragma once

#include <utility>
#include <vector>

#include "calm/core/sparse_matrix.hpp"
#include "models/deep/single_cell_params.hpp"
#include "models/deep/torch_common.hpp"

namespace calm {

// What the network reads and reconstructs from the stored values x. Count likelihoods always
// reconstruct x itself and read log1p(x); Gaussian ones read and reconstruct y = transform(x).
enum class ExpressionTransform { none, log1p, cp10k_log1p };

struct VaeShape {
  int64_t genes = 0, n_latent = 10, n_hidden = 128, n_layers = 1, n_batches = 1;
  double dropout = 0.1;
  GeneLikelihood likelihood = GeneLikelihood::zinb;
};

// Hidden layers Linear -> BatchNorm -> ReLU -> Dropout; the covariate one-hot (when given) is
// concatenated to the input of every layer.
struct FcStackImpl : torch::nn::Module {
  FcStackImpl(int64_t in, int64_t hidden, int64_t layers, int64_t n_cov, double dropout);
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& cov);
  std::vector<torch::nn::Linear> fc;
  std::vector<torch::nn::BatchNorm1d> bn;
  torch::nn::Dropout drop{nullptr};
  int64_t n_cov = 0;
};
TORCH_MODULE(FcStack);

// A minibatch as the network sees it. The count likelihoods evaluate their x-dependent terms at
// the stored (non-zero) values only: `nz_index` (flat positions in cells x genes), `nz_value`;
// their `input` is log1p of the counts and `target` is left empty (it is what the normal and mse
// likelihoods score).
struct CellBatch {
  torch::Tensor input, target, log_library, onehot;
  torch::Tensor nz_index, nz_gene, nz_value;
};

// The decoder's output for a batch of cells.
struct Decoded {
  torch::Tensor main;     // zinb/nb: gene shares rho (rows sum to 1); normal/mse: the mean of y
  torch::Tensor dropout;  // zinb: dropout logits; undefined otherwise
};

struct SingleCellVaeImpl : torch::nn::Module {
  explicit SingleCellVaeImpl(const VaeShape& s);
  // q(z|x): mean and variance.
  std::pair<torch::Tensor, torch::Tensor> encode(const torch::Tensor& input);
  Decoded decode(const torch::Tensor& z, const torch::Tensor& batch_onehot);
  // log p(target | decoded) summed over genes, one value per cell.
  torch::Tensor log_likelihood(const CellBatch& b, const Decoded& d);
  // One draw of the reconstructed values (counts for zinb/nb, y for normal; mse: the mean).
  torch::Tensor draw(const Decoded& d, const torch::Tensor& log_library, at::Generator& gen);

  VaeShape shape;
  FcStack encoder{nullptr}, decoder{nullptr};
  torch::nn::Linear z_mean{nullptr}, z_logvar{nullptr}, out_main{nullptr}, out_dropout{nullptr};
  torch::Tensor gene_param;  // zinb/nb: log theta per gene; normal: log sd per gene
};
TORCH_MODULE(SingleCellVae);

// The cells a network sees: stored values, their transform, per-cell library (sum of x) and batch.
struct VaeData {
  CsrView x;
  ExpressionTransform transform;
  const std::vector<double>& library;
  const std::vector<int32_t>& batch;  // per cell, in [0, n_batches)
  int64_t n_batches = 1;

  bool counts_likelihood(GeneLikelihood l) const {
    return l == GeneLikelihood::zinb || l == GeneLikelihood::nb;
  }
  // The model's input, reconstruction target, log library (cells x 1) and batch one-hot of `rows`.
  CellBatch rows(const int64_t* rows, size_t count, GeneLikelihood l,
                 const torch::Device& device) const;
};

// y = transform(x) for a dense block of one cell per row with the given libraries, and back.
torch::Tensor apply_transform(const torch::Tensor& x, ExpressionTransform t,
                              const torch::Tensor& library);
torch::Tensor invert_transform(const torch::Tensor& y, ExpressionTransform t,
                               const torch::Tensor& library);

// Trains `model` on `data` (see the header comment). Returns the epochs run.
int train_single_cell_vae(SingleCellVae& model, const VaeData& data, const SingleCellVaeOptions& o,
                          const torch::Device& device, Rng& rng, const Logger& log,
                          const std::string& method);

// Posterior means and variances of every cell (cells x n_latent, CPU, eval mode).
std::pair<torch::Tensor, torch::Tensor> posterior(SingleCellVae& model, const VaeData& data,
                                                  const torch::Device& device);

// A batch one-hot (cells x n_batches; empty columns when n_batches == 1).
torch::Tensor batch_onehot(const std::vector<int32_t>& codes, int64_t n_batches,
                           const torch::Device& device);

}  // namespace calm
