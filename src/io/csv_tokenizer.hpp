// Internal to the CSV reader: the untyped pass. Sniffs the delimiter and splits an RFC 4180 buffer
// (RFC 4180, "Common Format and MIME Type for CSV Files") into field boundaries, one array per
// column, without copying any field text. Typed parsing happens later, per column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "big_array.hpp"

namespace calm::csv_detail {

// Where one field's text lies in the buffer. For a quoted field the span excludes the quotes and
// may still contain doubled quotes (flag kEscapedQuotes) that field_string() makes single. Eight
// bytes, since there is one per cell: texts up to 512 GiB, fields up to 8 MiB.
struct FieldRef {
  uint64_t begin : 39 = 0;
  uint64_t size : 23 = 0;
  uint64_t flags : 2 = 0;
};
inline constexpr uint64_t kQuoted = 1;
inline constexpr uint64_t kEscapedQuotes = 2;
inline constexpr uint64_t kMaxFieldSize = (uint64_t{1} << 23) - 1;
inline constexpr uint64_t kMaxTextSize = uint64_t{1} << 39;

using FieldArray = std::vector<FieldRef, BigArrayAllocator<FieldRef>>;

struct TokenizedCsv {
  size_t num_columns = 0;
  std::vector<FieldRef> header;
  std::vector<FieldArray> columns;  // num_columns arrays of num_rows() fields
  size_t num_rows() const { return columns.empty() ? 0 : columns[0].size(); }
};

// 1-based line on which data row `row` starts (found again by counting, for error messages only).
int64_t row_line(std::string_view text, const TokenizedCsv& tok, size_t row);
// 1-based line holding byte `pos` (LF, CRLF and a lone CR each end a line, as when tokenizing).
int64_t line_at(std::string_view text, size_t pos);

// Bytes after the end of the text that the tokenizer may read (never use): it scans unquoted
// fields 16 bytes at a time.
inline constexpr size_t kTokenizerPadding = 16;

// Picks among , ; \t | the delimiter that splits the first records (quote-aware) into the same
// number (> 1) of fields each; ',' when none does (a one-column file).
char sniff_delimiter(std::string_view text);

// `text` must end with '\n' and be followed by kTokenizerPadding readable bytes (the reader
// guarantees both); the sentinel lets the unquoted-field scan run without a bounds check. Blank
// lines are skipped. Throws DataError naming the line for a ragged row, an unterminated quote or
// text after a closing quote.
TokenizedCsv tokenize_csv(std::string_view text, char delimiter);

inline std::string_view field_text(std::string_view text, const FieldRef& f) {
  return text.substr(f.begin, f.size);
}
// Field text with doubled quotes made single (a copy only when the field has any).
std::string field_string(std::string_view text, const FieldRef& f);

}  // namespace calm::csv_detail
