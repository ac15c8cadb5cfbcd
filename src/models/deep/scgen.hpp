// `scgen`: Lotfollahi, Wolf & Theis (2019), "scGen predicts single-cell perturbation responses",
// Nature Methods 16:715-721. A VAE with a squared-error likelihood on log-normalised expression
// (counts are normalised to 10^4 per cell and log1p-transformed; other input is taken as already
// log-normalised), network defaults of scvi-tools' SCGEN and the seed's n_latent = 10.
// Generation (as the seed's scGen): a training cell is drawn, its posterior mean plus
// N(0, noise_scale^2) is decoded; its metadata (cell type, condition, ...) go with it. Counts
// are back-transformed with the drawn cell's library size and rounded.
// Latent arithmetic (model_params predict_cell_type, predict_from, predict_to): every output cell
// is a `cell_type` cell of condition `from` moved by delta = mean latent of `to` minus that of
// `from`, each the average of its cell types' means over the types present in both conditions
// (scGen's balancing), and labelled with condition `to`; its library is the donor's times the
// balanced ratio of mean libraries (geometric) of `to` over `from`. Without condition_col, scgen
// warns and runs scvi with the model_params both declare (the seed).
#pragma once

#include <memory>

#include "calm/core/synthesizer.hpp"

namespace calm {

class ScgenSynthesizer final : public Synthesizer {
 public:
  ScgenSynthesizer();
  ~ScgenSynthesizer() override;

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
  std::unique_ptr<Synthesizer> fallback_;  // scvi, when there is no condition_col
};

}  // namespace calm
