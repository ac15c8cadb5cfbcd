// RowStream (row_stream.hpp): row ranges of a run read block by block, the last block kept.
#include "calm/api/row_stream.hpp"

#include <omp.h>

#include <limits>
#include <numeric>

#include "api/pipeline.hpp"
#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/row_blocks.hpp"

namespace calm {

struct RowStream::State {
  std::shared_ptr<const FittedModel> model;
  std::shared_ptr<Logger> logger;
  const Table* real = nullptr;
  GenerateOptions options;  // n_samples: the run's rows (a huge number when endless)
  ValidatedRun run;
  std::optional<size_t> size;
  uint64_t seed = 0;
  int threads = 1;
  size_t cached_block = std::numeric_limits<size_t>::max();
  Table cached;

  const Table& block(size_t b) {
    if (b != cached_block) {
      const Table& data = real ? *real : model->support;
      cached = post_process(sample_block(*model->synth, data, real != nullptr, options, run, seed,
                                         threads, *logger, b),
                            options, run, seed, *logger, nullptr, row_block_begin(b),
                            size.value_or(kEndless));
      cached_block = b;
    }
    return cached;
  }
};

RowStream::RowStream(const RealGenerator& generator, GenerateOptions o, const Table* real)
    : state_(std::make_unique<State>()) {
  if (!generator.fitted_)
    throw InvalidArgument("no fitted model to stream from: fit a generator or load a model file");
  if (o.n_samples < 0)
    throw InvalidArgument("n_samples must be positive, or 0/None for an endless stream; got " +
                          std::to_string(o.n_samples));
  if (post_needs_whole_output(o))
    throw InvalidArgument(
        "a stream cannot apply dynamics_config: its trends and random walks are defined over a "
        "whole output; apply ScenarioInjector to each batch, or generate a finite output with "
        "generate()");
  State& s = *state_;
  s.model = generator.fitted_;
  s.logger = generator.logger_;
  s.real = real;
  const bool endless = o.n_samples == 0;
  // Validation checks feasibility for a block's worth of rows when the stream is endless.
  if (endless) o.n_samples = static_cast<int64_t>(kRowBlock);
  const Table& data = real ? *real : s.model->support;
  s.run = validate_fitted(*s.model, data, real != nullptr, o, *s.logger);
  // A stream reads rows by position; a sequence method counting entities makes blocks of
  // entities, whose rows cannot be found by position without sampling every block before them.
  if (s.run.params.json().value("sample_unit", std::string()) == "entities")
    throw InvalidArgument(
        "a stream reads rows by position: model_params sample_unit 'entities' is not available "
        "on a stream; use sample_unit 'rows' (the default) or generate()");
  if (o.save_dataset || o.output_dir)
    throw InvalidArgument("a stream returns its rows: output_dir/save_dataset do not apply");
  s.size = endless ? std::nullopt : std::optional<size_t>(static_cast<size_t>(o.n_samples));
  if (endless) o.n_samples = std::numeric_limits<int64_t>::max() / 2;
  s.options = std::move(o);
  s.seed = seed_or_draw(generator.settings_.random_state, s.logger.get());
  s.threads = generator.settings_.threads > 0 ? generator.settings_.threads : omp_get_max_threads();
}

RowStream::~RowStream() = default;
RowStream::RowStream(RowStream&&) noexcept = default;

std::optional<size_t> RowStream::size() const {
  return state_->size;
}

uint64_t RowStream::seed() const {
  return state_->seed;
}

Table RowStream::rows(size_t begin, size_t end) {
  State& s = *state_;
  if (s.size) end = std::min(end, *s.size);
  if (begin >= end) {
    // No rows: the stream's columns, from an empty take of its first block.
    return s.block(0).take_rows({});
  }
  std::vector<Table> parts;
  for (size_t b = begin / kRowBlock; b * kRowBlock < end; ++b) {
    const Table& block = s.block(b);
    const size_t first = std::max(begin, row_block_begin(b)) - row_block_begin(b);
    const size_t last = std::min(end, row_block_begin(b) + block.num_rows()) - row_block_begin(b);
    std::vector<int64_t> rows(last - first);
    std::iota(rows.begin(), rows.end(), static_cast<int64_t>(first));
    parts.push_back(block.take_rows(rows));
  }
  return parts.size() == 1 ? parts.front() : concat_rows(parts);
}

}  // namespace calm
