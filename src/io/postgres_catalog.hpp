// Internal to io: the questions the PostgreSQL sink and source ask the catalog: does a table exist
// (and in which schema), what are its columns, which tables are there (for messages).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/db_names.hpp"
#include "io/postgres_conn.hpp"

namespace calm::db_detail {

// The schema holding `name` (a table, view or materialized view, found through search_path
// when `name` has no schema), or nullopt when there is none.
std::optional<std::string> pg_table_schema(PgConnection& conn, const TableName& name);
// The column names of the table `quoted` ("schema"."table"), in order.
std::vector<std::string> pg_column_names(PgConnection& conn, const std::string& quoted);
// The user's tables and views, as "table" in schema public and "schema.table" elsewhere.
std::vector<std::string> pg_table_names(PgConnection& conn);

}  // namespace calm::db_detail
