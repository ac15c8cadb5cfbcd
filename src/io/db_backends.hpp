// Internal to io: the database back ends behind open_sink and read_table (table_sink.cpp
// dispatches on the target string; each back end lives in files of its own).
#pragma once

#include <memory>
#include <string>

#include "calm/core/table.hpp"
#include "calm/io/table_sink.hpp"

namespace calm::db_detail {

// SQLite: `path` is a database file (created when missing).
std::unique_ptr<TableSink> open_sqlite_sink(const std::string& path, const SinkOptions& options);
Table read_sqlite(const std::string& path, const SourceOptions& options);

// PostgreSQL: `url` is a libpq connection URI (postgresql://user:pass@host:port/db?...).
std::unique_ptr<TableSink> open_postgres_sink(const std::string& url, const SinkOptions& options);
Table read_postgres(const std::string& url, const SourceOptions& options);

}  // namespace calm::db_detail
