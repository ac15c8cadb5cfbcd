// How the Gaussian copula models one column (Patki et al. 2016, section 4): numeric and datetime
// columns through a fitted marginal plus an is-missing indicator, categorical and boolean columns
// through frequency intervals, id columns as fresh keys, constant columns as their constant.
// Also the writer that turns sampled values back into the column's storage type.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "transform/marginals.hpp"
#include "transform/normal_scores.hpp"

namespace calm {

enum class ColumnRole {
  constant,     // one value (NaN: every cell missing), outside the copula
  numeric,      // marginal (or a constant) for the value, optional is-missing variable
  categorical,  // one variable over frequency intervals; missing is a category
  id,           // fresh unique keys
};

struct ColumnModel {
  Column prototype;  // name, storage type, format and dictionary; no cells
  ColumnRole role = ColumnRole::constant;
  double constant = 0;                 // constant role, or numeric role without a marginal
  std::unique_ptr<Marginal> marginal;  // numeric: null when every present value is equal
  std::vector<std::pair<MarginalFamily, double>> ks;  // numeric: candidates tried
  FrequencyIntervals intervals;  // categorical: categories; numeric: 0 present / 1 missing
  bool has_missing_var = false;  // numeric: the is-missing indicator joins the copula
  int var = -1;                  // copula variable of the value / category
  int missing_var = -1;          // copula variable of the is-missing indicator
  std::string id_prefix;         // id role, string keys: prefix + zero-padded counter
  size_t id_width = 0;
  // What the fits above were computed from, for save/load (column_model_archive.cpp): the sorted
  // present values behind `marginal` (refitting them gives the same marginal bit for bit) and
  // the count of each interval of `intervals`, in interval order.
  std::vector<double> marginal_values;
  std::vector<uint64_t> interval_counts;

  // Output values (Column::numeric encoding, NaN = missing) of this column from the uniforms of
  // its copula variables, for `count` rows.
  void decode(const double* u_value, const double* u_missing, size_t count, double* out) const;
  Json describe() const;
};

// The role a column of `storage` takes under `semantic` before its values are seen: id, numeric
// or categorical (either may still turn out constant).
ColumnRole planned_role(SemanticType semantic, StorageType storage);

// Chooses the role of `col` from its semantic type and fits what that role needs. `forced`
// fixes the marginal family of numeric columns.
ColumnModel fit_column_model(const Column& col, SemanticType semantic,
                             std::optional<MarginalFamily> forced);

// What a column model is fitted from when its cells are not at hand (the distributed copula fit,
// docs/distributed.md): the column's prototype and cell counts, plus what its role reads.
struct ColumnDigest {
  Column prototype;  // no cells; categorical storage: the dictionary codes index
  uint64_t rows = 0;
  uint64_t missing = 0;         // missing cells (and, for numeric roles, non-finite ones)
  std::vector<double> present;  // numeric roles: equally weighted present values, sorted
  // categorical roles: the distinct present values (Column::numeric encoding) and their counts
  std::vector<double> categories;
  std::vector<uint64_t> category_counts;
  std::string key_prefix;  // id role, text keys: the prefix every key shares
  size_t key_longest = 0;  // and the length of the longest key
};
ColumnModel fit_column_model(const ColumnDigest& digest, SemanticType semantic,
                             std::optional<MarginalFamily> forced);

// Persistence: the model as fitted, restored so that decode() gives identical values.
void save_column_model(ArchiveWriter& out, const ColumnModel& model);
ColumnModel load_column_model(ArchiveReader& in);

// The normal scores of a numeric column's value (0 for missing cells) into `out`.
void numeric_scores(const ColumnModel& model, const Column& col, double* out);

// Fresh output storage for `n` cells of the model's column, and the writer of decoded values.
Column allocate_output(const ColumnModel& model, size_t n);
void write_values(Column& out, size_t begin, const double* values, size_t count);
// Finishes an output column: drops an all-valid validity vector; fills id keys.
void finish_output(const ColumnModel& model, Column& out);

}  // namespace calm
