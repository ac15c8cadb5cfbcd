// The front door of table_sink.hpp: which kind of target a string names, and the dispatch of
// open_sink / read_table to the CSV, SQLite and PostgreSQL back ends.
#include "calm/io/table_sink.hpp"

#include <algorithm>

#include "calm/core/error.hpp"
#include "calm/io/anndata.hpp"
#include "io/db_backends.hpp"

namespace calm {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const char* kind_name(TargetKind kind) {
  return kind == TargetKind::sqlite ? "a SQLite" : "a PostgreSQL";
}

}  // namespace

IfExists if_exists_from_string(const std::string& s) {
  if (s == "fail") return IfExists::fail;
  if (s == "replace") return IfExists::replace;
  if (s == "append") return IfExists::append;
  throw InvalidArgument("if_exists '" + s + "' is not one of: fail, replace, append");
}

TargetKind target_kind(const std::string& target) {
  if (target == "-") return TargetKind::csv_stdout;
  if (starts_with(target, "postgresql://") || starts_with(target, "postgres://"))
    return TargetKind::postgres;
  for (const char* ext : {".sqlite", ".sqlite3", ".db"})
    if (ends_with(target, ext)) return TargetKind::sqlite;
  if (ends_with(target, ".h5ad")) return TargetKind::h5ad;
  return TargetKind::csv_file;
}

std::unique_ptr<TableSink> open_sink(const std::string& target, const SinkOptions& options) {
  const TargetKind kind = target_kind(target);
  if (kind == TargetKind::csv_file || kind == TargetKind::csv_stdout)
    return open_csv_sink(target, options);
  if (kind == TargetKind::h5ad) return open_h5ad_sink(target);
  if (options.table.empty())
    throw InvalidArgument(std::string("writing to ") + kind_name(kind) +
                          " database needs a table name (--table)");
  if (kind == TargetKind::sqlite) return db_detail::open_sqlite_sink(target, options);
  return db_detail::open_postgres_sink(target, options);
}

void write_cells(TableSink& sink, const CellTable& cells) {
  if (sink.write_cells(cells)) return;
  constexpr size_t kBlock = 1024;  // cells per block: 1024 x 20k genes as int64 is 160 MB
  for (size_t begin = 0; begin < cells.cells(); begin += kBlock)
    sink.write(cells.rows(begin, std::min(cells.cells(), begin + kBlock)));
}

Table read_table(const std::string& source, const SourceOptions& options) {
  if (ends_with(source, ".h5ad")) {
    if (options.table || options.query)
      throw InvalidArgument("'" + source +
                            "' is an AnnData file: a table or query applies only "
                            "to a SQLite file (.sqlite, .sqlite3, .db) or a postgresql:// URL");
    return anndata_table(read_h5ad(source));
  }
  const TargetKind kind = target_kind(source);
  if (kind == TargetKind::csv_file || kind == TargetKind::csv_stdout) {
    if (options.table || options.query)
      throw InvalidArgument("'" + source +
                            "' is read as a CSV file: a table or query applies only to a SQLite "
                            "file (.sqlite, .sqlite3, .db) or a postgresql:// URL");
    return read_csv(source, options.csv);
  }
  if (options.table.has_value() == options.query.has_value())
    throw InvalidArgument(std::string("reading from ") + kind_name(kind) +
                          " database needs exactly one of a table name (--table) or a query "
                          "(--query)" +
                          (options.table ? ", not both" : ""));
  if (options.table && options.table->empty()) throw InvalidArgument("the table name is empty");
  if (kind == TargetKind::sqlite) return db_detail::read_sqlite(source, options);
  return db_detail::read_postgres(source, options);
}

}  // namespace calm
