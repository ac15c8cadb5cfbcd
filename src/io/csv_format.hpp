// Internal to the CSV writers: the text of a table's header and rows, appended to a buffer without
// a string per cell (numbers go through std::to_chars on the stack; each category, boolean token
// and header name is escaped once). Rules (what read_csv needs to read the same table back): a
// field is quoted only when it must be (delimiter, quote, CR/LF, surrounding spaces); a float64
// column whose values are all whole numbers gets ".0" (else it would come back as int64); a
// one-column table writes a missing cell as "" (a bare empty line would be skipped as blank).
#pragma once

#include <string>
#include <vector>

#include "calm/core/table.hpp"
#include "calm/io/csv.hpp"

namespace calm::csv_detail {

// Throws InvalidArgument for a delimiter or line end read_csv could not read back.
void check_write_options(const CsvWriteOptions& options);

class CsvRowFormatter {
 public:
  // `table` must outlive the formatter; its rows are what rows() prints.
  CsvRowFormatter(const Table& table, const CsvWriteOptions& options);
  void header(std::string& out) const;
  void rows(std::string& out, size_t begin, size_t end) const;

 private:
  void cell(std::string& out, size_t column, size_t row) const;
  const Table& table_;
  CsvWriteOptions options_;
  bool lone_ = false;
  std::vector<bool> add_point_;
  std::vector<std::vector<std::string>> escaped_dict_;  // categorical and boolean columns
};

}  // namespace calm::csv_detail
