// Internal to the CSV reader: the typed pass. Turns one tokenized column into a calm::Column,
// inferring its storage type (int64, float64, boolean, datetime, categorical — first that fits).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "calm/core/table.hpp"
#include "csv_tokenizer.hpp"

namespace calm::csv_detail {

// Exact-match test against the NA tokens. Numbers start with bytes no token starts with, and a
// bitmask of token lengths rejects most of the rest, so nearly every field costs two lookups.
class NaMatcher {
 public:
  explicit NaMatcher(const std::vector<std::string>& tokens);
  bool operator()(std::string_view field) const {
    if (field.empty()) return empty_is_na_;
    if (!first_byte_[static_cast<unsigned char>(field[0])]) return false;
    if (field.size() < 64 && !((length_mask_ >> field.size()) & 1)) return false;
    for (const auto& t : tokens_)
      if (t == field) return true;
    return false;
  }

 private:
  std::vector<std::string> tokens_;
  uint64_t length_mask_ = 0;
  bool empty_is_na_ = false;
  std::array<bool, 256> first_byte_{};
};

// Column `col` of `tok` named `name`. Throws DataError naming the column and line for an
// infinite value in an otherwise numeric column.
Column build_column(std::string_view text, const TokenizedCsv& tok, size_t col, std::string name,
                    const NaMatcher& is_na);

}  // namespace calm::csv_detail
