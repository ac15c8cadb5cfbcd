// Schema inference rules (documented for users in docs/schema.md):
//   boolean storage                      -> boolean
//   datetime storage                     -> datetime
//   string (categorical storage)         -> id if every value is distinct and rows >=
//   min_rows_for_id,
//                                           else categorical
//   integer storage, <= max_categorical_integer_levels distinct values -> categorical
//   any other int/float                  -> numerical
// Overrides win over every rule (a numeric column may be forced categorical, and so on).
#include "calm/core/schema.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"

namespace calm {

const char* to_string(SemanticType t) {
  switch (t) {
    case SemanticType::numerical:
      return "numerical";
    case SemanticType::categorical:
      return "categorical";
    case SemanticType::boolean:
      return "boolean";
    case SemanticType::datetime:
      return "datetime";
    case SemanticType::id:
      return "id";
  }
  return "?";
}

SemanticType semantic_type_from_string(const std::string& s) {
  for (auto t : {SemanticType::numerical, SemanticType::categorical, SemanticType::boolean,
                 SemanticType::datetime, SemanticType::id})
    if (s == to_string(t)) return t;
  throw InvalidArgument("unknown column type '" + s +
                        "'; valid types: numerical, categorical, boolean, datetime, id");
}

const ColumnSchema& Schema::operator[](const std::string& name) const {
  for (const auto& c : columns)
    if (c.name == name) return c;
  throw InvalidArgument("unknown column '" + name + "'");
}

static size_t count_distinct(const Column& c) {
  const size_t n = c.size();
  if (c.type == StorageType::categorical) {
    std::vector<uint8_t> seen(c.dict.size(), 0);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i)
      if (c.codes[i] >= 0 && !seen[c.codes[i]]) seen[c.codes[i]] = 1, ++k;
    return k;
  }
  // Sort-based: several times faster than a hash set of doubles on millions of rows.
  std::vector<double> values;
  values.reserve(n);
  for (size_t i = 0; i < n; ++i)
    if (!c.is_missing(i)) values.push_back(c.numeric(i));
  std::sort(values.begin(), values.end());
  return static_cast<size_t>(std::unique(values.begin(), values.end()) - values.begin());
}

SemanticType infer_semantic(StorageType storage, size_t distinct, size_t missing, size_t rows,
                            const SchemaOptions& opt) {
  switch (storage) {
    case StorageType::boolean:
      return SemanticType::boolean;
    case StorageType::datetime:
      return SemanticType::datetime;
    case StorageType::categorical:
      return distinct == rows - missing && missing == 0 && rows >= opt.min_rows_for_id
                 ? SemanticType::id
                 : SemanticType::categorical;
    case StorageType::int64:
      return distinct <= opt.max_categorical_integer_levels ? SemanticType::categorical
                                                            : SemanticType::numerical;
    case StorageType::float64:
      break;
  }
  return SemanticType::numerical;
}

static ColumnSchema describe(const Column& c, const SchemaOptions& opt, size_t rows) {
  ColumnSchema s;
  s.name = c.name;
  s.storage = c.type;
  s.missing = c.missing_count();
  s.distinct = count_distinct(c);
  s.decimals = c.format.decimals;
  bool any = false;
  bool integer = c.type == StorageType::int64;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.is_missing(i)) continue;
    double v = c.numeric(i);
    if (!any) s.min = s.max = v, any = true;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  if (c.type == StorageType::float64) {
    integer = any;
    for (double v : c.f64)
      if (!std::isnan(v) && v != std::floor(v)) {
        integer = false;
        break;
      }
    integer = integer && c.format.decimals <= 0;
  }
  s.integer = integer;
  s.semantic = infer_semantic(c.type, s.distinct, s.missing, rows, opt);
  return s;
}

Schema infer_schema(const Table& table, const SchemaOptions& options) {
  if (table.num_columns() == 0) throw DataError("the table has no columns");
  if (table.num_rows() == 0) throw DataError("the table has no rows (header only?)");
  for (const auto& [name, type] : options.overrides)
    if (!table.has(name))
      throw InvalidArgument("column type override names unknown column '" + name +
                            "'; columns are: " + join_names(table.column_names()));
  Schema schema;
  schema.columns.resize(table.num_columns());
  // Columns are independent; describing them (distinct counts) dominates on large tables.
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t i = 0; i < table.num_columns(); ++i)
    schema.columns[i] = describe(table.column(i), options, table.num_rows());
  for (size_t i = 0; i < table.num_columns(); ++i) {
    const Column& c = table.column(i);
    ColumnSchema& s = schema.columns[i];
    if (auto it = options.overrides.find(c.name); it != options.overrides.end()) {
      if ((it->second == SemanticType::numerical || it->second == SemanticType::datetime) &&
          c.type == StorageType::categorical)
        throw InvalidArgument("column '" + c.name + "' holds text and cannot be " +
                              to_string(it->second));
      s.semantic = it->second;
    }
  }
  return schema;
}

}  // namespace calm
