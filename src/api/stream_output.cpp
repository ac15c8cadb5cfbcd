// stream_output: a run's rows written to a sink block by block (core/row_blocks.hpp), so memory
// holds one block whatever the row count; the reports get a seeded sample stratified by block.
// Dynamics work on the whole output (their trends and random walks span it), so a run
// that has them is built in memory first and then written in the same blocks.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>

#include "api/pipeline.hpp"
#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/row_blocks.hpp"
#include "calm/io/table_sink.hpp"

namespace calm {
namespace {

std::vector<int64_t> row_range(size_t begin, size_t end) {
  std::vector<int64_t> rows(end - begin);
  std::iota(rows.begin(), rows.end(), static_cast<int64_t>(begin));
  return rows;
}

// Which rows of each block go into the reports' sample: report_rows apportioned over the blocks
// by size, each block's share drawn uniformly with a stream of its own.
class ReportSample {
 public:
  ReportSample(size_t n, BlockRange range, size_t report_rows, uint64_t seed)
      : range_(range), seed_(seed) {
    std::vector<double> sizes;
    size_t total = 0;
    for (size_t b = range.first; b < range.last; ++b) {
      sizes.push_back(static_cast<double>(row_block_rows(n, b)));
      total += row_block_rows(n, b);
    }
    keep_ = total <= report_rows ? std::vector<size_t>{} : largest_remainder(report_rows, sizes);
  }

  void add(const Table& block, size_t b) {
    if (keep_.empty()) {
      parts_.push_back(block);
      return;
    }
    std::vector<int64_t> rows = row_range(0, block.num_rows());
    Rng rng(seed_, stream_id(StreamPurpose::eval, 0x5A3B10C000ULL + b));
    keep_random_subset(rows, keep_[b - range_.first], rng);
    parts_.push_back(block.take_rows(rows));
  }

  Table table() const { return parts_.size() == 1 ? parts_.front() : concat_rows(parts_); }

 private:
  BlockRange range_;
  uint64_t seed_;
  std::vector<size_t> keep_;  // rows kept per block; empty: every row
  std::vector<Table> parts_;
};

std::string rate_note(size_t rows, std::chrono::steady_clock::time_point t0) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  char text[64];
  std::snprintf(text, sizeof text, "%.0f rows/s", s > 0 ? static_cast<double>(rows) / s : 0.0);
  return text;
}

using BlockMaker = std::function<Table(size_t block, int threads)>;
using BlockWriter =
    std::function<void(const Table& block, const std::optional<std::string>& bytes, size_t b)>;

// Blocks made by `workers` threads at once (one thread each, so no barrier waits inside a block)
// and encoded there when the sink can; written in order by the calling thread. At most
// workers + 1 blocks wait in memory. The first error (a worker's or the writer's) stops everyone
// and is rethrown.
void produce_concurrently(BlockRange range, size_t workers, const BlockMaker& make,
                          const TableSink& sink, const BlockWriter& write) {
  struct Made {
    Table block;
    std::optional<std::string> bytes;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::map<size_t, Made> made;
  size_t next = range.first, written = range.first;
  std::exception_ptr error;
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!error) error = e;
    changed.notify_all();
  };
  auto work = [&] {
    for (;;) {
      size_t b;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock,
                     [&] { return error || next >= range.last || next <= written + workers; });
        if (error || next >= range.last) return;
        b = next++;
      }
      try {
        Made m{make(b, 1), std::nullopt};
        m.bytes = sink.encode(m.block);
        std::lock_guard lock(mutex);
        made.emplace(b, std::move(m));
        changed.notify_all();
      } catch (...) {
        fail(std::current_exception());
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) pool.emplace_back(work);
  try {
    for (size_t b = range.first; b < range.last; ++b) {
      Made m;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return error || made.count(b) > 0; });
        if (error) break;
        m = std::move(made.at(b));
        made.erase(b);
        written = b + 1;
        changed.notify_all();
      }
      write(m.block, m.bytes, b);
    }
  } catch (...) {
    fail(std::current_exception());
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

Table stream_output(const Synthesizer& model, const Table& real, bool real_rows,
                    const GenerateOptions& o, const ValidatedRun& v, uint64_t seed, int threads,
                    const Logger& log, const StreamOptions& stream,
                    std::vector<DriftWindow>* drift_windows) {
  if (!stream.sink) throw InternalError("stream_output needs a sink");
  const size_t n = static_cast<size_t>(o.n_samples);
  BlockRange range{0, row_block_count(n)};
  if (stream.shard) {
    const auto [i, k] = *stream.shard;
    if (k == 0 || i >= k)
      throw InvalidArgument("shard must be i/k with 0 <= i < k, got " + std::to_string(i) + "/" +
                            std::to_string(k));
    if (post_needs_whole_output(o))
      throw InvalidArgument(
          "a shard cannot apply dynamics_config: its trends and random walks span the whole "
          "output; run without shards, or apply it to the joined shards");
    range = shard_blocks(n, i, k);
  }
  size_t rows_total = 0;
  for (size_t b = range.first; b < range.last; ++b) rows_total += row_block_rows(n, b);
  ReportSample report(n, range, stream.report_rows, seed);
  const auto t0 = std::chrono::steady_clock::now();
  Progress progress(log, "rows", rows_total);
  size_t progress_rows = 0;
  if (post_needs_whole_output(o)) {
    if (range.last - range.first > 1)
      log.info("dynamics_config spans the whole output: its " + std::to_string(n) +
               " rows are built in memory, then written");
    Table whole = post_process(sample_fitted(model, real, real_rows, o, v, seed, threads, log), o,
                               v, seed, log, drift_windows);
    for (size_t b = range.first; b < range.last; ++b) {
      const size_t begin = row_block_begin(b);
      Table block = whole.take_rows(row_range(begin, begin + row_block_rows(n, b)));
      stream.sink->write(block);
      report.add(block, b);
      progress.advance(block.num_rows(), rate_note(block.num_rows(), t0));
    }
  } else {
    BlockWriter write = [&](const Table& block, const std::optional<std::string>& bytes, size_t b) {
      if (bytes)
        stream.sink->write_encoded(block, *bytes);
      else
        stream.sink->write(block);
      report.add(block, b);
      progress.advance(block.num_rows(), rate_note(progress_rows += block.num_rows(), t0));
    };
    const size_t blocks = range.last - range.first;
    // Drift windows (for the report's plots) only from a run of one block, made on this thread.
    BlockMaker make = [&](size_t b, int block_threads) {
      return post_process(sample_block(model, real, real_rows, o, v, seed, block_threads, log, b),
                          o, v, seed, log, blocks == 1 ? drift_windows : nullptr,
                          row_block_begin(b), n);
    };
    if (threads > 1 && blocks > 1 && model.concurrent_sampling())
      produce_concurrently(range, std::min<size_t>(static_cast<size_t>(threads), blocks), make,
                           *stream.sink, write);
    else
      for (size_t b = range.first; b < range.last; ++b) write(make(b, threads), std::nullopt, b);
  }
  stream.sink->commit();
  progress.finish();
  log.info("wrote " + std::to_string(rows_total) + " rows to " + stream.sink->description() + " (" +
           rate_note(rows_total, t0) + ")");
  return report.table();
}

}  // namespace calm
