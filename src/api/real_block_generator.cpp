// RealBlockGenerator: per-block synthesis (see real_block_generator.hpp). Every block's arguments
// are validated before the first model is fitted; blocks are ordered by value (numbers numerically,
// labels alphabetically) and block i uses the seed derive_seed(seed, i).
#include "calm/api/real_block_generator.hpp"

#include <omp.h>

#include <algorithm>
#include <map>

#include "api/apportion.hpp"
#include "api/pipeline.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"

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

  const uint64_t seed = settings_.random_state.value_or(entropy_seed());
  if (!settings_.random_state)
    log.info("no random_state given; using seed " + std::to_string(seed) +
             " (pass it as random_state to repeat this run)");
  const int threads = settings_.threads > 0 ? settings_.threads : omp_get_max_threads();
  const size_t position = *data.find(key);
  std::vector<Table> parts;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].count == 0) continue;
    GenerateOptions ob = per_block;
    ob.n_samples = static_cast<int64_t>(blocks[i].count);
    log.info("block '" + blocks[i].label + "': " + std::to_string(blocks[i].rows.size()) +
             " real rows -> " + std::to_string(blocks[i].count) + " synthetic rows");
    Table part;
    try {
      part = synthesize(block_data[i], ob, block_runs[i], derive_seed(seed, i), threads, log);
    } catch (const Error& e) {
      rethrow_for_block(e, blocks[i].label);
    }
    const std::vector<int64_t> same(blocks[i].count, blocks[i].rows.front());
    parts.push_back(part.with_column(data.column(key).take(same), position));
  }
  Table synthetic = post_process(concat_rows(parts), whole, v, seed, log);
  GenerateResult result{synthetic, v.schema, {}, seed};
  result.files = write_outputs(data, synthetic, v.schema, whole, settings_, threads, seed, log);
  return result;
}

}  // namespace calm
