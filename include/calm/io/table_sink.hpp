// Where streamed synthetic rows go, and where a table can be read from, chosen by a target string:
//   "-"                                   CSV on standard output
//   postgresql://... or postgres://...    a PostgreSQL table (libpq)
//   *.sqlite, *.sqlite3, *.db             a SQLite table
//   anything else                         a CSV file
// A sink receives blocks of rows in order and makes them visible only on commit(): a sink
// destroyed without commit() (an error, an exception unwinding) leaves nothing that looks
// complete — the CSV temp file is removed, the database transaction rolled back.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "calm/core/cell_table.hpp"
#include "calm/core/table.hpp"
#include "calm/io/csv.hpp"

namespace calm {

enum class IfExists { fail, replace, append };
IfExists if_exists_from_string(const std::string& s);  // "fail" | "replace" | "append"

enum class TargetKind { csv_file, csv_stdout, sqlite, postgres, h5ad };
TargetKind target_kind(const std::string& target);

struct SinkOptions {
  std::string table;  // database targets: the table to create or fill
  // A database table that exists: refused (fail), dropped and re-created, or appended to. A CSV
  // file is always replaced atomically (append is refused).
  IfExists if_exists = IfExists::fail;
  CsvWriteOptions csv;
  bool header = true;  // CSV: the header line (a shard after the first leaves it out)
  int threads = 0;     // formatting threads (0 = all cores); the bytes do not depend on it
};

class TableSink {
 public:
  virtual ~TableSink() = default;
  // Appends rows; every call has the same columns, storage types and formats as the first.
  virtual void write(const Table& rows) = 0;
  // An optional split of write() for producers that make blocks on several threads: encode() may
  // run concurrently for different blocks (it reads only `rows` and the sink's options), and
  // write_encoded() then appends its result, in order. nullopt: the sink does not split, the
  // producer calls write().
  virtual std::optional<std::string> encode(const Table& rows) const {
    (void)rows;
    return std::nullopt;
  }
  virtual void write_encoded(const Table& rows, const std::string& bytes) {
    (void)bytes;
    write(rows);
  }
  // Cells held as a matrix (api/cell_generator.hpp), instead of write(): true when the sink
  // keeps them as they are (an .h5ad file: X sparse, obs with its types); false when it takes
  // rows, and the caller writes cells.rows() block by block.
  virtual bool write_cells(const CellTable& cells) {
    (void)cells;
    return false;
  }
  // Makes everything written visible at once (rename, COMMIT). Nothing may be written after.
  virtual void commit() = 0;
  // For logs: "out.csv", "table t in out.sqlite", "table t at postgresql://host/db".
  virtual std::string description() const = 0;
};

std::unique_ptr<TableSink> open_sink(const std::string& target, const SinkOptions& options);
// `cells` into `sink` (TableSink::write_cells, or their rows in blocks of 1024 cells); the caller
// commits.
void write_cells(TableSink& sink, const CellTable& cells);
// An AnnData file (.h5ad): int64/float64 columns form X (sparse), the others obs.
std::unique_ptr<TableSink> open_h5ad_sink(const std::string& path);
// The CSV kinds (open_sink's "-" and file cases).
std::unique_ptr<TableSink> open_csv_sink(const std::string& path, const SinkOptions& options);

struct SourceOptions {
  std::optional<std::string> table;  // database sources: a table ...
  std::optional<std::string> query;  // ... or a query (exactly one of the two)
  CsvReadOptions csv;
};

// Reads a whole table from a CSV file, a SQLite file or a PostgreSQL URL, with the storage types
// a CSV of the same values would get (integers, doubles, booleans, dates/timestamps, text).
Table read_table(const std::string& source, const SourceOptions& options);

}  // namespace calm
