// The split of a mixed table into what row-level models work on: numeric features (float, int and
// datetime columns read as numbers, standardised), discrete features (categorical and boolean
// columns, integer columns the schema calls categorical, and numeric columns with at most one
// distinct value), and id columns that get fresh unique keys. Shared by the Gaussian mixture
// (latent-class model) and the SMOTE family, which both need "numbers here, categories there" and
// the write-back of sampled rows into the input's storage types.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "transform/column_model.hpp"

namespace calm {

struct NumericFeature {
  size_t column = 0;
  double mean = 0, scale = 1;  // standardised value = (x - mean) / scale; scale 1 when constant
  bool has_missing = false;
};

struct DiscreteFeature {
  size_t column = 0;
  // Observed values in Column::numeric encoding, increasing; NaN (missing) last when present.
  std::vector<double> levels;
  int level_of(double value) const;  // -1 when never seen
};

class MixedLayout {
 public:
  // Reads the roles from the schema. `standardize` false keeps numerics on their own scale
  // (mean 0, scale 1). `discrete_column` (a class column) is discrete whatever its type.
  static MixedLayout fit(const Table& data, const Schema& schema, bool standardize = true,
                         std::optional<size_t> discrete_column = std::nullopt);

  const std::vector<NumericFeature>& numerics() const { return numerics_; }
  const std::vector<DiscreteFeature>& discretes() const { return discretes_; }
  size_t num_rows() const { return rows_; }
  // The discrete feature holding column `column`, or -1.
  int discrete_of_column(size_t column) const;

  // n x numerics() row-major, standardised, NaN where missing.
  std::vector<double> numeric_matrix(const Table& data) const;
  // n x discretes() row-major level indices.
  std::vector<int32_t> discrete_codes(const Table& data) const;

  // A table with the fitted table's columns, order and storage: numerics from `numeric` (n x
  // numerics(), standardised scale, NaN = missing), discretes from `codes` (n x discretes() level
  // indices), ids as fresh keys 1..n (strings: the source prefix plus a counter).
  Table build(size_t n, const std::vector<double>& numeric,
              const std::vector<int32_t>& codes) const;

  // Persistence for the methods built on the layout (gmm, smote, adasyn): load gives a layout
  // whose build() output is identical to the saved one's.
  void save(ArchiveWriter& out) const;
  static MixedLayout load(ArchiveReader& in);

 private:
  enum class Role : uint8_t { numeric, discrete, id };
  struct Slot {
    Role role;
    size_t index;  // into numerics_ or discretes_
  };
  std::vector<NumericFeature> numerics_;
  std::vector<DiscreteFeature> discretes_;
  // Per column: the output prototype (name, storage, format, dictionary); for ids, the key model.
  std::vector<ColumnModel> outputs_;
  std::vector<Slot> slots_;
  size_t rows_ = 0;
};

}  // namespace calm
