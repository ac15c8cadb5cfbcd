// `scvi`: single-cell variational inference, Lopez, Regier, Cole, Jordan & Yosef (2018), "Deep
// generative modeling for single-cell transcriptomics", Nature Methods 15:1053-1058; defaults as
// scvi-tools' SCVI (Gayoso et al. 2022, Nature Biotechnology 40:163).
// The VAE (single_cell_vae.hpp) models counts with a ZINB or NB likelihood (gene-wise dispersion)
// and the observed library size, with an optional batch covariate; `gene_likelihood="normal"`
// models log1p of non-count (log-normalised, TPM) input with a Gaussian instead.
// Generation: a cell's group is drawn with the shares of the training cells (cell types of
// target_col; else batches), its latent code from the group's Gaussian fitted to the posteriors
// (latent_sampling="aggregate") or from N(0, I) ("prior"), its library from the group's
// log-normal of observed libraries, its counts from the (ZI)NB. The metadata columns (target_col
// among them) come from the training cell of that group whose posterior mean is nearest to the
// code, so labels, batch and other obs agree with the expression drawn.
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"

namespace calm {

class ScviSynthesizer final : public Synthesizer {
 public:
  ScviSynthesizer();
  ~ScviSynthesizer() override;

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool fits_cells() const override { return true; }
  void fit_cells(const CellTable& cells, const FitContext& ctx) override;
  CellTable sample_cells(size_t n, const SampleContext& ctx) const override;
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

 private:
  // fit / fit_cells: exactly one of `table` and `cells` is given.
  void fit_from(const Table* table, const CellTable* cells, const FitContext& ctx);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calm
