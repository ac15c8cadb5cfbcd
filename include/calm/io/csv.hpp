// CSV reading and writing: RFC 4180 (quotes, doubled quotes, embedded newlines), UTF-8 with or
// without BOM, delimiter sniffing among , ; \t |, configurable NA tokens, CRLF or LF.
// Column storage types are inferred while reading (see docs/schema.md):
//   all non-NA fields integers            -> int64
//   all numbers                            -> float64 (format.decimals = most decimals seen)
//   all boolean tokens (true/false/yes/no) -> boolean (format keeps the source spelling)
//   all ISO dates / datetimes              -> datetime (format.date_only if no time part)
//   otherwise                              -> categorical (strings)
// A file that is read and then written back without changes keeps every value exactly.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "calm/core/table.hpp"

namespace calm {

struct CsvReadOptions {
  std::optional<char> delimiter;  // nullopt = sniff
  std::vector<std::string> na_tokens = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"};
  int threads = 0;  // 0 = all cores (typed parsing is parallel over columns)
};

struct CsvWriteOptions {
  char delimiter = ',';
  std::string line_end = "\n";
};

// Throws IoError (missing/unreadable file), DataError (empty file, ragged rows, non-UTF-8 bytes,
// duplicate or empty header names) with the line number where it applies.
Table read_csv(const std::string& path, const CsvReadOptions& options = {});
Table read_csv_string(const std::string& text, const CsvReadOptions& options = {});

void write_csv(const Table& table, std::ostream& out, const CsvWriteOptions& options = {});
// Writes to `path` atomically: a temporary file in the same folder, renamed when complete.
void write_csv(const Table& table, const std::string& path, const CsvWriteOptions& options = {});

}  // namespace calm
