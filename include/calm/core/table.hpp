// calm::Table — the columnar, typed, immutable-after-construction table every layer passes around.
// Storage types: float64 (NaN = missing), int64 + validity, bool + validity, categorical
// (int32 codes into a string dictionary, -1 = missing) and datetime (int64 epoch-ns + validity).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace calm {

enum class StorageType { float64, int64, boolean, categorical, datetime };
const char* to_string(StorageType t);

// How a column looked in its source, so that synthetic output looks the same.
struct ColumnFormat {
  int decimals = -1;                // most digits after the point seen in the source; -1 = unknown
  bool date_only = false;           // datetime written as YYYY-MM-DD
  std::string true_token = "True";  // spelling of booleans in the source
  std::string false_token = "False";
};

struct Column {
  std::string name;
  StorageType type = StorageType::float64;
  ColumnFormat format;
  std::vector<double> f64;        // float64
  std::vector<int64_t> i64;       // int64, datetime (ns since epoch, UTC)
  std::vector<uint8_t> b;         // boolean values (0/1)
  std::vector<int32_t> codes;     // categorical codes, -1 = missing
  std::vector<std::string> dict;  // categorical dictionary
  std::vector<uint8_t> valid;     // int64/boolean/datetime validity; empty = all valid

  static Column float64(std::string name, std::vector<double> values);
  static Column int64(std::string name, std::vector<int64_t> values,
                      std::vector<uint8_t> valid = {});
  static Column boolean(std::string name, std::vector<uint8_t> values,
                        std::vector<uint8_t> valid = {});
  static Column categorical(std::string name, std::vector<int32_t> codes,
                            std::vector<std::string> dict);
  static Column datetime(std::string name, std::vector<int64_t> ns,
                         std::vector<uint8_t> valid = {});

  size_t size() const;
  bool is_missing(size_t i) const;
  size_t missing_count() const;
  // Numeric view of one cell: float/int/datetime(ns)/bool value, categorical code; NaN if missing.
  double numeric(size_t i) const;
  // Text of one cell as the CSV writer prints it ("" if missing).
  std::string text(size_t i) const;
  bool is_numeric_storage() const {
    return type == StorageType::float64 || type == StorageType::int64;
  }
  // The subset of rows at `rows`, same type/format/dictionary.
  Column take(const std::vector<int64_t>& rows) const;
};

class Table {
 public:
  Table() = default;
  explicit Table(std::vector<Column> columns);

  size_t num_rows() const { return rows_; }
  size_t num_columns() const { return columns_.size(); }
  const Column& column(size_t i) const { return *columns_[i]; }
  const Column& column(const std::string& name) const;
  std::optional<size_t> find(const std::string& name) const;
  bool has(const std::string& name) const { return find(name).has_value(); }
  std::vector<std::string> column_names() const;

  // Cheap derived tables: columns are shared, not copied.
  Table take_rows(const std::vector<int64_t>& rows) const;
  Table with_column(Column c, std::optional<size_t> position = std::nullopt) const;
  Table select(const std::vector<std::string>& names) const;
  Table drop(const std::string& name) const;

 private:
  std::vector<std::shared_ptr<const Column>> columns_;
  std::unordered_map<std::string, size_t> index_;
  size_t rows_ = 0;
};

}  // namespace calm
