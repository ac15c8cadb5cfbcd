// RealBlockGenerator: per-block synthesis (see real_block_generator.hpp). Every block's arguments
// are validated before the first model is fitted; blocks are ordered by value (numbers numerically,
// labels alphabetically) and block i uses the seed derive_seed(seed, i). Blocks are fitted in
// parallel on min(threads, blocks) threads (each model gets threads / workers OpenMP threads);
// the output is the same for any thread count.
#include "calm/api/real_block_generator.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api/pipeline.hpp"
#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/report/reports.hpp"

namespace calm {
namespace {

struct Block {
  std::string label;
  std::vector<int64_t> rows;
  size_t count = 0;  // synthetic rows
  bool skipped = false;
};

std::vector<Block> find_blocks(const Table& data, const std::string& name) {
  const Column& c = data.column(name);
  std::map<double, Block> by_value;  // ordered: numeric value, or label rank for categoricals
  std::vector<size_t> rank(c.dict.size());
  if (c.type == StorageType::categorical) {
    std::vector<size_t> order(c.dict.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return c.dict[a] < c.dict[b]; });
    for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  }
  size_t missing = 0;
  for (size_t i = 0; i < data.num_rows(); ++i) {
    if (c.is_missing(i)) {
      ++missing;
      continue;
    }
    const double key = c.type == StorageType::categorical
                           ? static_cast<double>(rank[static_cast<size_t>(c.codes[i])])
                           : c.numeric(i);
    Block& b = by_value[key];
    if (b.rows.empty()) b.label = c.text(i);
    b.rows.push_back(static_cast<int64_t>(i));
  }
  if (missing > 0)
    throw DataError("block column '" + name + "' is missing in " + std::to_string(missing) +
                    " rows; fill or drop them first");
  std::vector<Block> blocks;
  for (auto& [key, b] : by_value) blocks.push_back(std::move(b));
  return blocks;
}

void plan_counts(std::vector<Block>& blocks, const GenerateOptions& o, const BlockOptions& bo,
                 const Logger& log) {
  std::vector<std::string> labels;
  for (const auto& b : blocks) labels.push_back(b.label);
  for (auto& b : blocks) {
    if (b.rows.size() >= 2) continue;
    if (!bo.skip_small_blocks)
      throw DataError("block '" + b.label + "' of '" + bo.block_column + "' has " +
                      std::to_string(b.rows.size()) +
                      " row; a block needs at least 2 rows (or set skip_small_blocks)");
    b.skipped = true;
    log.warning("skipping block '" + b.label + "': it has " + std::to_string(b.rows.size()) +
                " row, too few to learn from");
  }
  if (bo.block_sizes.is_null()) {
    if (o.n_samples <= 0)
      throw InvalidArgument("n_samples must be a positive integer, got " +
                            std::to_string(o.n_samples));
    std::vector<double> weights;
    for (const auto& b : blocks)
      weights.push_back(b.skipped ? 0.0 : static_cast<double>(b.rows.size()));
    const auto counts = largest_remainder(static_cast<size_t>(o.n_samples), weights);
    for (size_t i = 0; i < blocks.size(); ++i) blocks[i].count = counts[i];
    return;
  }
  if (!bo.block_sizes.is_object())
    throw InvalidArgument("block_sizes must be a dict {block: rows}, got " + bo.block_sizes.dump());
  for (auto& b : blocks) b.count = b.skipped ? 0 : b.rows.size();
  for (auto it = bo.block_sizes.begin(); it != bo.block_sizes.end(); ++it) {
    auto b = std::find_if(blocks.begin(), blocks.end(),
                          [&](const Block& x) { return x.label == it.key(); });
    if (b == blocks.end())
      throw InvalidArgument("block_sizes names unknown block '" + it.key() + "'; blocks of '" +
                            bo.block_column + "': " + join_names(labels));
    if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0)
      throw InvalidArgument("block_sizes['" + it.key() + "'] must be an integer >= 0, got " +
                            it.value().dump());
    if (b->skipped && it.value().get<int64_t>() > 0)
      throw DataError("block '" + b->label + "' has too few rows to generate from");
    b->count = static_cast<size_t>(it.value().get<int64_t>());
  }
  size_t total = 0;
  for (const auto& b : blocks) total += b.count;
  if (o.n_samples != 0 && static_cast<size_t>(o.n_samples) != total)
    throw InvalidArgument("n_samples is " + std::to_string(o.n_samples) +
                          " but block_sizes add up to " + std::to_string(total) +
                          "; give n_samples=0 or the total");
  if (total == 0) throw InvalidArgument("block_sizes ask for no rows at all");
}

// The same kind of error, its message prefixed with the block it concerns.
[[noreturn]] void rethrow_for_block(const Error& e, const std::string& label) {
  const std::string m = "block '" + label + "': " + e.what();
  switch (e.kind()) {
    case ErrorKind::invalid_argument:
      throw InvalidArgument(m);
    case ErrorKind::data:
      throw DataError(m);
    case ErrorKind::io:
      throw IoError(m);
    case ErrorKind::not_available:
      throw NotAvailable(m);
    case ErrorKind::internal:
      throw InternalError(m);
  }
  throw InternalError(m);
}

// Runs fn(i) for every i of `items` on `workers` threads (the caller is one of them). Errors are
// rethrown after all have finished, the first block's first, prefixed with its label.
template <typename Fn>
void run_parallel(const std::vector<size_t>& items, size_t workers, Fn&& fn,
                  const std::vector<Block>& blocks) {
  std::vector<std::exception_ptr> errors(items.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < items.size();) {
      try {
        fn(items[k]);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (size_t k = 0; k < items.size(); ++k) {
    if (!errors[k]) continue;
    try {
      std::rethrow_exception(errors[k]);
    } catch (const Error& e) {
      rethrow_for_block(e, blocks[items[k]].label);
    }
  }
}

// Folder names for the per-block reports: the label with characters outside [A-Za-z0-9._-]
// replaced by '_', made unique with the block index when two labels map to the same name.
std::vector<std::string> block_folders(const std::vector<Block>& blocks) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (size_t i = 0; i < blocks.size(); ++i) {
    std::string n = blocks[i].label.empty() ? "block" : blocks[i].label;
    for (char& ch : n)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_')
        ch = '_';
    if (n == "." || n == "..") n = "block" + n;
    if (!used.insert(n).second) {
      n.append(1, '_').append(std::to_string(i));  // (not n += "_" + ...: GCC 12 -Wrestrict)
      used.insert(n);
    }
    names.push_back(n);
  }
  return names;
}

}  // namespace

RealBlockGenerator::RealBlockGenerator(GeneratorSettings settings)
    : settings_(std::move(settings)),
      logger_(settings_.logger ? settings_.logger : std::make_shared<Logger>()) {
  if (settings_.threads < 0)
    throw InvalidArgument("threads must be >= 0 (0 = all cores), got " +
                          std::to_string(settings_.threads));
}

Table RealBlockGenerator::generate(const Table& data, const GenerateOptions& options,
                                   const BlockOptions& blocks) {
  return run(data, options, blocks).synthetic;
}

GenerateResult RealBlockGenerator::run(const Table& data, const GenerateOptions& options,
                                       const BlockOptions& bo) {
  const Logger& log = *logger_;
  const std::string& key = bo.block_column;
  if (!data.has(key))
    throw InvalidArgument("block_column '" + key +
                          "' is not a column; columns are: " + join_names(data.column_names()));
  if (options.target_col && *options.target_col == key)
    throw InvalidArgument("block_column '" + key + "' cannot also be target_col");
  if (options.holdout_fraction != 0)
    throw InvalidArgument(
        "holdout_fraction is not supported with blocks (one model per block); hold rows out "
        "before generating and pass them to `calm evaluate --holdout`");
  if (options.custom_distributions.is_object() && options.custom_distributions.contains(key))
    throw InvalidArgument("custom_distributions on block_column '" + key +
                          "': its shares follow the block sizes (use block_sizes)");
  std::vector<Block> blocks = find_blocks(data, key);
  plan_counts(blocks, options, bo, log);

  // Validate the whole run and every block before fitting anything.
  GenerateOptions whole = options;
  whole.block_column = key;
  size_t total = 0;
  for (const auto& b : blocks) total += b.count;
  whole.n_samples = static_cast<int64_t>(total);
  ValidatedRun v = validate_run(data, whole);
  std::map<std::string, SemanticType> types;
  for (const auto& c : v.schema.columns)
    if (c.name != key) types[c.name] = c.semantic;
  GenerateOptions per_block = whole;
  per_block.output_dir.reset();
  per_block.save_dataset = false;
  per_block.date_start.reset();
  per_block.date_col.reset();
  per_block.date_step = nullptr;
  per_block.date_every = 1;
  per_block.drift_injection_config = nullptr;
  per_block.dynamics_config = nullptr;
  per_block.block_column.reset();
  std::vector<Table> block_data(blocks.size());
  std::vector<ValidatedRun> block_runs(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].count == 0) continue;
    GenerateOptions ob = per_block;
    ob.n_samples = static_cast<int64_t>(blocks[i].count);
    block_data[i] = data.take_rows(blocks[i].rows).drop(key);
    try {
      block_runs[i] = validate_run(block_data[i], ob, types);
    } catch (const Error& e) {
      rethrow_for_block(e, blocks[i].label);
    }
  }

  const uint64_t seed = seed_or_draw(settings_.random_state, &log);
  const int threads = settings_.threads > 0 ? settings_.threads : omp_get_max_threads();
  std::vector<size_t> todo;
  for (size_t i = 0; i < blocks.size(); ++i)
    if (blocks[i].count > 0) todo.push_back(i);
  const size_t workers = std::min<size_t>(static_cast<size_t>(threads), todo.size());
  const int inner = std::max(1, threads / static_cast<int>(std::max<size_t>(1, workers)));
  std::mutex log_mutex;
  auto block_log = [&](size_t i) {
    auto l = std::make_shared<Logger>(log.level(), [&log, &log_mutex, label = blocks[i].label](
                                                       LogLevel lv, const std::string& m) {
      std::lock_guard<std::mutex> lock(log_mutex);
      log.log(lv, "block '" + label + "': " + m);
    });
    l->set_progress(workers <= 1 && log.progress_enabled());
    return l;
  };

  // Each block is fitted and sampled with its own seed derive_seed(seed, i), so the output does
  // not depend on how blocks are spread over threads.
  std::vector<Table> parts(blocks.size());
  run_parallel(
      todo, workers,
      [&](size_t i) {
        GenerateOptions ob = per_block;
        ob.n_samples = static_cast<int64_t>(blocks[i].count);
        auto l = block_log(i);
        l->info(std::to_string(blocks[i].rows.size()) + " real rows -> " +
                std::to_string(blocks[i].count) + " synthetic rows");
        parts[i] = synthesize(block_data[i], ob, block_runs[i], derive_seed(seed, i), inner, *l);
      },
      blocks);
  const size_t position = *data.find(key);
  std::vector<Table> with_key;
  std::vector<size_t> offset(blocks.size(), 0);
  size_t at = 0;
  for (size_t i : todo) {
    const std::vector<int64_t> same(blocks[i].count, blocks[i].rows.front());
    with_key.push_back(parts[i].with_column(data.column(key).take(same), position));
    offset[i] = at;
    at += blocks[i].count;
  }
  std::vector<DriftWindow> drift_windows;
  Table synthetic = post_process(concat_rows(with_key), whole, v, seed, log, &drift_windows);
  GenerateResult result{synthetic, v.schema, {}, seed};
  result.files =
      write_outputs(data, synthetic, v, whole, settings_, threads, seed, log, drift_windows);

  // One report folder per block: output_dir/blocks/<block>/, the block's real rows against its
  // synthetic rows after post-processing (the columns the block's real data has).
  if (settings_.auto_report && options.output_dir) {
    const auto folders = block_folders(blocks);
    std::vector<std::vector<std::string>> files(blocks.size());
    run_parallel(
        todo, workers,
        [&](size_t i) {
          std::vector<int64_t> rows(blocks[i].count);
          for (size_t k = 0; k < rows.size(); ++k) rows[k] = static_cast<int64_t>(offset[i] + k);
          const Table syn = synthetic.take_rows(rows).select(block_data[i].column_names());
          const auto dir = std::filesystem::path(*options.output_dir) / "blocks" / folders[i];
          std::filesystem::create_directories(dir);
          ReportRequest req{block_data[i],
                            syn,
                            block_runs[i].schema,
                            options.target_col,
                            dir.string(),
                            options.generator_name + "_block_" + folders[i],
                            options.method,
                            settings_.minimal_report,
                            options.adversarial_validation,
                            inner,
                            derive_seed(seed, i)};
          files[i] = write_reports(req, *block_log(i));
        },
        blocks);
    for (size_t i : todo) result.files.insert(result.files.end(), files[i].begin(), files[i].end());
  }
  return result;
}

}  // namespace calm
