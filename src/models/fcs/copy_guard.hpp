// Which synthetic rows of a donor-based synthesis reproduce a unique real row: a real row that
// occurs once in the real data, copied whole, discloses that record (synthpop's statistical
// disclosure control drops such "replicated uniques": sdc(rm.replicated.uniques = TRUE), Nowok,
// Raab & Dibben 2016, section 5). Rows are compared by 64-bit hashes of their values: the real
// rows' once, a synthetic row's from the hashes of its donors' values (a synthetic value is a
// real donor's, or a smoothed number), so no synthetic table is formatted to compare.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "calm/core/table.hpp"

namespace calm::fcs {

class CopyGuard {
 public:
  // `columns`: the table columns a synthetic row is made of (the model columns, in model order).
  CopyGuard(const Table& real, const std::vector<size_t>& columns);

  // The rows of `rows` whose synthetic row equals a real row that occurs exactly once. Row i's
  // model column j took its value from real row donors[j][i] or, where smoothed[j] is not empty
  // and not NaN, is the number smoothed[j][i].
  std::vector<size_t> unique_copies(const std::vector<std::vector<int32_t>>& donors,
                                    const std::vector<std::vector<double>>& smoothed,
                                    const std::vector<size_t>& rows) const;

 private:
  uint64_t number_hash(size_t j, double v) const;
  uint64_t prefix_hash(size_t real_row) const;
  uint64_t cell_hash(const std::vector<std::vector<int32_t>>& donors,
                     const std::vector<std::vector<double>>& smoothed, size_t j, size_t i) const;

  std::vector<const Column*> columns_;
  std::vector<std::vector<uint64_t>> value_hash_;  // [model column][real row]
  std::unordered_map<uint64_t, uint32_t> row_count_;
  // A bit per hash of two columns' values (prefix_columns_) over the unique real rows: most
  // synthetic rows miss it and are decided after two lookups instead of one per column.
  std::vector<uint64_t> prefix_bits_;
  std::vector<size_t> prefix_columns_;
  uint64_t prefix_mask_ = 0;
};

}  // namespace calm::fcs
