// Internal to io: turns the values of one database result column into a calm::Column with the
// storage type a CSV of the same values would get (the database readers feed it row by row).
//   only integers                       -> int64 (boolean when the column is declared boolean and
//                                          holds only 0/1)
//   integers and reals                  -> float64 (format.decimals = most decimals printed)
//   only booleans / only dates+times    -> boolean / datetime (date_only when no value has a time)
//   only text, TextRule::categorical    -> categorical (PostgreSQL text, varchar ...)
//   text, TextRule::csv, or a mixture   -> every value as text, typed by read_csv's rules
//                                          (SQLite: TEXT of ISO dates -> datetime, of numbers ->
//                                          int64/float64, other text -> categorical)
//   NULL                                -> missing; a column of NULLs only -> float64
// Infinite numbers are refused (DataError), as read_csv refuses them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "calm/core/table.hpp"

namespace calm::db_detail {

enum class TextRule { csv, categorical };

class DbColumnBuilder {
 public:
  // `source` names the table or query for messages ("table t in x.sqlite").
  DbColumnBuilder(std::string name, std::string source, TextRule rule, bool declared_boolean);

  void add_null() { push(kNull, 0); }
  void add_int(int64_t v) { push(kInt, v); }
  void add_real(double v, int decimals);  // NaN -> missing
  void add_bool(bool v) { push(kBool, v ? 1 : 0); }
  void add_datetime(int64_t ns, bool date_only);
  void add_text(std::string_view s);

  const std::string& name() const { return name_; }
  Column finish();

 private:
  enum Kind : uint8_t { kNull, kInt, kReal, kBool, kDatetime, kText, kKinds };
  void push(Kind k, int64_t payload) {
    kinds_.push_back(k);
    payload_.push_back(payload);
    ++count_[k];
  }
  std::string text_of(size_t row) const;
  Column from_text();

  std::string name_, source_;
  TextRule rule_;
  bool declared_boolean_;
  std::vector<uint8_t> kinds_;
  std::vector<int64_t> payload_;  // integer, double bits, 0/1, ns, or the index of a text
  size_t count_[kKinds] = {};
  int decimals_ = -1;
  bool all_date_only_ = true;
  // Texts one after another (no allocation per value: a column may hold a million distinct
  // ones); text k is arena_[text_begin_[k], text_begin_[k + 1]).
  std::string arena_;
  std::vector<size_t> text_begin_;
  std::string_view text(int64_t k) const {
    const size_t i = static_cast<size_t>(k);
    const size_t end = i + 1 < text_begin_.size() ? text_begin_[i + 1] : arena_.size();
    return std::string_view(arena_).substr(text_begin_[i], end - text_begin_[i]);
  }
};

// Digits after the point in the shortest text of `v` ("0.25" -> 2, "3" -> 0).
int decimals_of_double(double v);

}  // namespace calm::db_detail
