// Internal to the CSV reader: the typed pass. Turns one tokenized column into a calm::Column,
// inferring its storage type (int64, float64, boolean, datetime, categorical — first that fits).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calm/core/table.hpp"
#include "csv_tokenizer.hpp"

namespace calm::csv_detail {

// Exact-match test against the NA tokens; a bitmask of token lengths rejects most fields with one
// AND before any comparison.
class NaMatcher {
 public:
  explicit NaMatcher(const std::vector<std::string>& tokens);
  bool operator()(std::string_view field) const {
    if (field.size() < 64 && !((length_mask_ >> field.size()) & 1)) return false;
    for (const auto& t : tokens_)
      if (t == field) return true;
    return false;
  }

 private:
  std::vector<std::string> tokens_;
  uint64_t length_mask_ = 0;
};

// Column `col` of `tok` named `name`. Throws DataError naming the column and line for an
// infinite value in an otherwise numeric column.
Column build_column(std::string_view text, const TokenizedCsv& tok, size_t col, std::string name,
                    const NaMatcher& is_na);

}  // namespace calm::csv_detail
