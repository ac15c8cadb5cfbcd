// Catalog look-ups of the PostgreSQL back end (see postgres_catalog.hpp).
#include "io/postgres_catalog.hpp"

namespace calm::db_detail {

std::optional<std::string> pg_table_schema(PgConnection& conn, const TableName& name) {
  PgResult r = conn.exec_params(
      "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
      {name.quoted()}, "looking up table '" + name.table + "'");
  if (PQntuples(r.get()) == 0) return std::nullopt;
  return std::string(PQgetvalue(r.get(), 0, 0));
}

std::vector<std::string> pg_column_names(PgConnection& conn, const std::string& quoted) {
  PgResult r = conn.exec("SELECT * FROM " + quoted + " LIMIT 0", "reading the columns of " + quoted,
                         PGRES_TUPLES_OK);
  std::vector<std::string> names;
  for (int c = 0; c < PQnfields(r.get()); ++c) names.emplace_back(PQfname(r.get(), c));
  return names;
}

std::vector<std::string> pg_table_names(PgConnection& conn) {
  PgResult r = conn.exec(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN "
      "('pg_catalog', 'information_schema') ORDER BY table_schema <> 'public', 1, 2",
      "listing the tables", PGRES_TUPLES_OK);
  std::vector<std::string> names;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    const std::string schema = PQgetvalue(r.get(), i, 0);
    const std::string table = PQgetvalue(r.get(), i, 1);
    names.push_back(schema == "public" ? table : schema + "." + table);
  }
  return names;
}

}  // namespace calm::db_detail
