// Real rows that occur exactly once, and the synthetic rows that reproduce one: the value-based
// form of copy_guard.hpp for synthesizers whose cells compare equal to real cells (lgbm draws
// observed values and writes categories through the real columns' dictionaries). A synthetic row
// that repeats a unique real row discloses that record (synthpop's replicated uniques, Nowok,
// Raab & Dibben 2016, section 5).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "calm/core/table.hpp"

namespace calm::fcs {

class UniqueRows {
 public:
  // `columns`: the table columns compared (id columns, made fresh, left out).
  UniqueRows(const Table& real, std::vector<size_t> columns);

  // The positions in `synthetic` (same columns, categorical ones with the real dictionaries)
  // whose compared cells all equal those of a real row that occurs once.
  std::vector<size_t> copies(const Table& synthetic) const;

 private:
  uint64_t row_hash(const Table& t, size_t i) const;
  bool same_row(const Table& synthetic, size_t i, size_t real_row) const;

  Table real_;
  std::vector<size_t> columns_;
  std::unordered_map<uint64_t, int64_t> unique_;  // row hash -> real row; -1: hash repeats
};

}  // namespace calm::fcs
