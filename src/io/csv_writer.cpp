// write_csv: RFC 4180 output that read_csv reads back to the same table. Cells are Column::text;
// a field is quoted only when it must be (delimiter, quote, CR/LF, surrounding spaces). Two
// additions keep the round trip exact: a float64 column whose values are all whole numbers gets
// ".0" (else it would come back as int64), and a one-column table writes a missing cell as ""
// (a bare empty line would be skipped as blank).
#include <algorithm>
#include <cmath>
#include <ostream>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "calm/io/csv.hpp"

namespace calm {

namespace {

void check_options(const CsvWriteOptions& options) {
  char d = options.delimiter;
  if (d == '"' || d == '\n' || d == '\r' || d == '\0')
    throw InvalidArgument(
        "CSV delimiter cannot be a quote, a line end or NUL; use one of ',', "
        "';', '\\t', '|'");
  if (options.line_end != "\n" && options.line_end != "\r\n")
    throw InvalidArgument("CSV line_end must be \"\\n\" or \"\\r\\n\"");
}

bool needs_quotes(std::string_view s, char delimiter) {
  if (s.empty()) return false;
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  if (space(s.front()) || space(s.back())) return true;
  return s.find_first_of(std::string{delimiter, '"', '\r', '\n'}) != std::string_view::npos;
}

void append_field(std::string& out, std::string_view s, char delimiter, bool lone_column) {
  if (s.empty() && lone_column) {
    out += "\"\"";
    return;
  }
  if (!needs_quotes(s, delimiter)) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// True when every value of a float64 column is a whole number, so that some printed values would
// have no '.' or exponent and the column would read back as int64.
bool whole_numbers_only(const Column& c) {
  if (c.type != StorageType::float64) return false;
  return std::all_of(c.f64.begin(), c.f64.end(),
                     [](double v) { return std::isnan(v) || v == std::trunc(v); });
}

std::string cell_text(const Column& c, size_t row, bool add_point) {
  std::string s = c.text(row);
  if (add_point && !s.empty() && s.find_first_of("e.ni") == std::string::npos) s += ".0";
  return s;
}

// Calls `sink` with chunks of the CSV text, so a large table is never held twice.
template <typename Sink>
void emit_csv(const Table& table, const CsvWriteOptions& options, Sink&& sink) {
  check_options(options);
  const size_t ncols = table.num_columns();
  const bool lone = ncols == 1;
  std::vector<bool> add_point(ncols);
  for (size_t c = 0; c < ncols; ++c) add_point[c] = whole_numbers_only(table.column(c));
  std::string buf;
  constexpr size_t kChunk = 1 << 20;
  buf.reserve(kChunk + 4096);
  for (size_t c = 0; c < ncols; ++c) {
    if (c) buf += options.delimiter;
    append_field(buf, table.column(c).name, options.delimiter, lone);
  }
  buf += options.line_end;
  for (size_t r = 0; r < table.num_rows(); ++r) {
    for (size_t c = 0; c < ncols; ++c) {
      if (c) buf += options.delimiter;
      append_field(buf, cell_text(table.column(c), r, add_point[c]), options.delimiter, lone);
    }
    buf += options.line_end;
    if (buf.size() >= kChunk) {
      sink(buf);
      buf.clear();
    }
  }
  if (!buf.empty()) sink(buf);
}

}  // namespace

void write_csv(const Table& table, std::ostream& out, const CsvWriteOptions& options) {
  emit_csv(table, options, [&](const std::string& chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out) throw IoError("writing CSV to the output stream failed");
  });
}

void write_csv(const Table& table, const std::string& path, const CsvWriteOptions& options) {
  std::string contents;
  emit_csv(table, options, [&](const std::string& chunk) { contents += chunk; });
  write_file_atomically(path, contents);
}

}  // namespace calm
