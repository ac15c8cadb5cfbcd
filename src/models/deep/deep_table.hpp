// The bridge between a calm Table and the encoded rows the deep methods train on: the table's
// columns split by MixedLayout (numerics standardised, discretes as level indices with missing as a
// level, ids as fresh keys), optionally each numeric mapped to normal scores through its fitted
// marginal CDF (CopulaGAN: SDV's GaussianNormalizer before CTGAN), then the TabularEncoder
// (mode-specific normalisation and one-hots, Xu et al. 2019). decode() inverts every step and
// writes the input's columns, order, storage types and dictionaries.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "transform/marginals.hpp"
#include "transform/mixed_layout.hpp"
#include "transform/tabular_encoder.hpp"

namespace calm {

struct DeepTableOptions {
  bool copula = false;  // numerics through their marginal CDF to normal scores first
  std::optional<MarginalFamily> family;  // copula: forced family (nullopt: KS selection)
  ModeNormalizerOptions modes;
};

class DeepTable {
 public:
  void fit(const Table& data, const Schema& schema, const DeepTableOptions& options);

  const TabularEncoder& encoder() const { return encoder_; }
  size_t width() const { return encoder_.width(); }
  // n x width() encoded rows of `data` (a table with the fitted columns); modes drawn with rng.
  std::vector<double> encode(const Table& data, Rng& rng) const;
  // n x discrete_count() level indices of `data`.
  std::vector<int32_t> discrete_codes(const Table& data) const {
    return layout_.discrete_codes(data);
  }
  // The table of n encoded rows (n x width(), activated: scalars in [-1, 1], one-hots as scores).
  Table decode(const std::vector<double>& encoded, size_t n) const;

  // Persistence: save() writes the fit's inputs (the table and the schema facts MixedLayout
  // reads); load() refits from them, which is deterministic, so the loaded table encodes and
  // decodes bit for bit as the saved one. `options` must be the ones fit() was given.
  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in, const DeepTableOptions& options);
  // The table fit() was given (the conditional sampler of ctgan is rebuilt from it on load).
  const Table& training() const { return training_; }

  // The encoder's discrete feature holding column `name`, or nullopt when it is not discrete.
  std::optional<size_t> discrete_feature(const std::string& name) const;
  // Level index in discrete feature `feature` of a value (Column::numeric encoding), or -1.
  int level_of(size_t feature, double value) const {
    return layout_.discretes()[feature].level_of(value);
  }

 private:
  MixedLayout layout_;
  std::vector<std::unique_ptr<Marginal>> marginals_;  // copula: per numeric (null: identity)
  TabularEncoder encoder_;
  std::vector<std::string> names_;  // the fitted table's columns
  Table training_;                  // columns shared with the caller's table, not copied
  Schema schema_;
};

}  // namespace calm
