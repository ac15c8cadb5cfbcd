// CSV sinks for streamed rows: a file written through AtomicFile (visible under its name only
// after commit) or standard output. Each block is formatted in parallel pieces, then written in
// order, so the bytes do not depend on the thread count.
#include <omp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "calm/io/table_sink.hpp"
#include "io/csv_format.hpp"

namespace calm {
namespace {

class CsvSink final : public TableSink {
 public:
  CsvSink(const std::string& path, const SinkOptions& options) : options_(options) {
    csv_detail::check_write_options(options.csv);
    if (options.if_exists == IfExists::append)
      throw InvalidArgument(
          "if_exists 'append' is for database tables; a CSV file is written whole and replaced "
          "atomically");
    if (path != "-") file_.emplace(path);
  }

  void write(const Table& rows) override {
    // Pieces of at most 16384 rows, formatted in parallel and written in order.
    csv_detail::CsvRowFormatter format(rows, options_.csv);
    constexpr size_t kPiece = 16384;
    const size_t n = rows.num_rows();
    const size_t pieces = (n + kPiece - 1) / kPiece;
    std::vector<std::string> text(pieces);
    const int threads = options_.threads > 0 ? options_.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t p = 0; p < pieces; ++p)
      format.rows(text[p], p * kPiece, std::min(n, (p + 1) * kPiece));
    header(format);
    for (const auto& t : text) put(t);
  }

  std::optional<std::string> encode(const Table& rows) const override {
    std::string text;
    csv_detail::CsvRowFormatter(rows, options_.csv).rows(text, 0, rows.num_rows());
    return text;
  }

  void write_encoded(const Table& rows, const std::string& bytes) override {
    if (!header_done_) header(csv_detail::CsvRowFormatter(rows, options_.csv));
    put(bytes);
  }

  void commit() override {
    if (file_) file_->commit();
  }

  std::string description() const override {
    return file_ ? file_->path() : "standard output";
  }

 private:
  void header(const csv_detail::CsvRowFormatter& format) {
    if (header_done_) return;
    std::string head;
    if (options_.header) format.header(head);
    put(head);
    header_done_ = true;
  }

  void put(const std::string& bytes) {
    if (file_) {
      file_->append(bytes);
      return;
    }
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(STDOUT_FILENO, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw IoError(std::string("writing CSV to standard output failed: ") +
                      std::strerror(errno));
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

  SinkOptions options_;
  std::optional<AtomicFile> file_;
  bool header_done_ = false;
};

}  // namespace

std::unique_ptr<TableSink> open_csv_sink(const std::string& path, const SinkOptions& options) {
  return std::make_unique<CsvSink>(path, options);
}

}  // namespace calm
