// Names shared by the database back ends (see db_names.hpp).
#include "io/db_names.hpp"

#include <algorithm>
#include <unordered_set>

#include "calm/core/error.hpp"

namespace calm::db_detail {

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string TableName::quoted() const {
  return schema.empty() ? quote_identifier(table)
                        : quote_identifier(schema) + "." + quote_identifier(table);
}

TableName split_table_name(const std::string& name) {
  const size_t dot = name.find('.');
  TableName t;
  if (dot == std::string::npos) {
    t.table = name;
  } else {
    t.schema = name.substr(0, dot);
    t.table = name.substr(dot + 1);
    if (t.table.find('.') != std::string::npos)
      throw InvalidArgument("table name '" + name +
                            "' has more than one dot; valid forms: table, schema.table");
  }
  if (t.table.empty() || (dot != std::string::npos && t.schema.empty()))
    throw InvalidArgument("table name '" + name +
                          "' has an empty part; valid forms: table, schema.table");
  return t;
}

const char* sql_type(const Column& column, Dialect dialect) {
  const bool pg = dialect == Dialect::postgres;
  switch (column.type) {
    case StorageType::int64:
      return pg ? "BIGINT" : "INTEGER";
    case StorageType::float64:
      return pg ? "DOUBLE PRECISION" : "REAL";
    case StorageType::boolean:
      return "BOOLEAN";
    case StorageType::datetime:
      return column.format.date_only ? "DATE" : "TIMESTAMP";
    case StorageType::categorical:
      return "TEXT";
  }
  return "TEXT";
}

std::string column_definitions(const Table& rows, Dialect dialect) {
  std::string out = "(";
  for (size_t c = 0; c < rows.num_columns(); ++c) {
    if (c) out += ", ";
    out += quote_identifier(rows.column(c).name) + " " + sql_type(rows.column(c), dialect);
  }
  return out + ")";
}

std::string column_list(const std::vector<std::string>& names) {
  std::string out = "(";
  for (size_t c = 0; c < names.size(); ++c) {
    if (c) out += ", ";
    out += quote_identifier(names[c]);
  }
  return out + ")";
}

void check_append_columns(const std::vector<std::string>& table_columns,
                          const std::vector<std::string>& row_columns, const std::string& what) {
  auto a = table_columns, b = row_columns;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a == b) return;
  throw InvalidArgument("cannot append to " + what + ": its columns (" + join_names(table_columns) +
                        ") differ from the rows' columns (" + join_names(row_columns) +
                        "); use if_exists 'replace' or another table");
}

void check_result_names(const std::vector<std::string>& names, const std::string& what) {
  std::unordered_set<std::string> seen;
  for (size_t c = 0; c < names.size(); ++c) {
    if (names[c].empty())
      throw DataError(what + ": column " + std::to_string(c + 1) + " has no name; name it with AS");
    if (!seen.insert(names[c]).second)
      throw DataError(what + ": column name '" + names[c] +
                      "' occurs twice; give the columns distinct names with AS");
  }
}

void check_block_columns(const Table& rows, const std::vector<std::string>& names,
                         const std::string& sink) {
  if (rows.column_names() != names)
    throw InvalidArgument("the rows written to " + sink + " have columns (" +
                          join_names(rows.column_names()) + "), the first ones had (" +
                          join_names(names) + ")");
}

}  // namespace calm::db_detail
