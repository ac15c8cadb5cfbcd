// Schema: the semantic type of every column (numerical, categorical, boolean, datetime, id),
// inferred from the data by documented rules and overridable per column, plus the facts that make
// synthetic output look like the input (integer-ness, decimals, observed min/max).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "calm/core/table.hpp"

namespace calm {

enum class SemanticType { numerical, categorical, boolean, datetime, id };
const char* to_string(SemanticType t);
SemanticType semantic_type_from_string(const std::string& s);  // throws listing valid names

struct ColumnSchema {
  std::string name;
  SemanticType semantic = SemanticType::numerical;
  StorageType storage = StorageType::float64;
  bool integer = false;     // numeric values are all whole numbers
  int decimals = -1;        // digits after the point to keep (-1: as computed)
  double min = 0, max = 0;  // observed range of the non-missing values (numeric/datetime)
  size_t distinct = 0;      // distinct non-missing values
  size_t missing = 0;       // missing cells
};

struct SchemaOptions {
  // An integer column with at most this many distinct values is categorical (like 0/1 flags or
  // 1..5 ratings) — unless it is the only way to read it as a count (see docs/schema.md).
  size_t max_categorical_integer_levels = 10;
  // A string column whose values are all distinct is an id once it has at least this many rows.
  size_t min_rows_for_id = 20;
  std::map<std::string, SemanticType> overrides;
};

class Schema {
 public:
  std::vector<ColumnSchema> columns;
  const ColumnSchema& operator[](const std::string& name) const;
  const ColumnSchema& operator[](size_t i) const { return columns[i]; }
  size_t size() const { return columns.size(); }
};

// The inference rule for one column from its storage and counts (docs/schema.md), without
// overrides: what infer_schema gives a column, and a distributed fit a column of merged counts.
SemanticType infer_semantic(StorageType storage, size_t distinct, size_t missing, size_t rows,
                            const SchemaOptions& options);

// Infers the schema; throws DataError for a table that cannot be synthesised from
// (no rows, no columns).
Schema infer_schema(const Table& table, const SchemaOptions& options = {});

}  // namespace calm
