// Internal to io: what the SQLite and PostgreSQL back ends share about names: quoting
// identifiers, the SQL column types of calm's storage types, and the checks on column lists
// (appending to a table, reading a result with duplicate names).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calm/core/table.hpp"

namespace calm::db_detail {

// "name" with embedded quotes doubled: any text is a valid SQL identifier this way.
std::string quote_identifier(std::string_view name);

struct TableName {
  std::string schema;  // empty: the default (search_path / main)
  std::string table;
  std::string quoted() const;  // "schema"."table" or "table"
};
// PostgreSQL's `schema.table` or `table`; InvalidArgument for an empty part or a second dot.
TableName split_table_name(const std::string& name);

enum class Dialect { sqlite, postgres };
// int64 -> INTEGER / BIGINT, float64 -> REAL / DOUBLE PRECISION, boolean -> BOOLEAN,
// datetime -> DATE (date_only) or TIMESTAMP, categorical -> TEXT.
const char* sql_type(const Column& column, Dialect dialect);
// `(a BIGINT, "b c" TEXT, ...)`
std::string column_definitions(const Table& rows, Dialect dialect);
// `(a, "b c", ...)`
std::string column_list(const std::vector<std::string>& names);

// Appending to an existing table: InvalidArgument naming both lists unless `rows` has the same
// column names (in any order) as the table.
void check_append_columns(const std::vector<std::string>& table_columns,
                          const std::vector<std::string>& row_columns, const std::string& what);

// Reading: DataError for a result with an empty or repeated column name (a Table needs unique
// names), suggesting AS.
// InvalidArgument when a block's columns are not `names` (those of the sink's first block).
void check_block_columns(const Table& rows, const std::vector<std::string>& names,
                         const std::string& sink);
void check_result_names(const std::vector<std::string>& names, const std::string& what);

}  // namespace calm::db_detail
