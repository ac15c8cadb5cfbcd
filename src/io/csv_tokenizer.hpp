// Internal to the CSV reader: the untyped pass. Sniffs the delimiter and splits an RFC 4180 buffer
// (RFC 4180, "Common Format and MIME Type for CSV Files") into field boundaries, one array per
// column, without copying any field text. Typed parsing happens later, per column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace calm::csv_detail {

// Where one field's text lies in the buffer. For a quoted field the span excludes the quotes and
// may still contain doubled quotes (flag kEscapedQuotes) that unescape() turns into single ones.
struct FieldRef {
  uint64_t begin = 0;
  uint32_t size = 0;
  uint32_t flags = 0;
};
inline constexpr uint32_t kQuoted = 1;
inline constexpr uint32_t kEscapedQuotes = 2;

struct TokenizedCsv {
  size_t num_columns = 0;
  std::vector<FieldRef> header;
  std::vector<std::vector<FieldRef>> columns;  // num_columns arrays of num_rows() fields
  std::vector<int64_t> row_lines;              // 1-based line on which each data row starts
  size_t num_rows() const { return row_lines.size(); }
};

// Bytes after the end of the text that the tokenizer may read (never use): it scans unquoted
// fields 16 bytes at a time.
inline constexpr size_t kTokenizerPadding = 16;

// Picks among , ; \t | the delimiter that splits the first records (quote-aware) into the same
// number (> 1) of fields each; ',' when none does (a one-column file).
char sniff_delimiter(std::string_view text);

// `text` must end with '\n' and be followed by kTokenizerPadding readable bytes (the reader
// guarantees both); the sentinel lets the unquoted-field scan run without a bounds check. Blank lines are skipped. Throws DataError naming the line for a
// ragged row, an unterminated quote or text after a closing quote.
TokenizedCsv tokenize_csv(std::string_view text, char delimiter);

inline std::string_view field_text(std::string_view text, const FieldRef& f) {
  return text.substr(f.begin, f.size);
}
// Field text with doubled quotes made single (a copy only when the field has any).
std::string field_string(std::string_view text, const FieldRef& f);

}  // namespace calm::csv_detail
