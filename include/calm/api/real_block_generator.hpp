// calm::RealBlockGenerator — the seed's RealBlockGenerator: one model per value of a block column
// (store, country, patient ...). n_samples is split across blocks in proportion to their real sizes
// (largest remainder) or given per block; each block is synthesised with the same generate()
// arguments and its own seed stream derive(seed, block index), blocks in parallel on up to
// `threads` threads (the output does not depend on the thread count); the outputs are concatenated
// in block order with the block column set, then dynamics, dates, drift and the combined reports
// run once on the whole. With auto_report and output_dir, each block also gets its own reports in
// output_dir/blocks/<block>/ (real block vs its synthetic rows; the label with characters outside
// [A-Za-z0-9._-] replaced by '_').
#pragma once

#include <string>

#include "calm/api/real_generator.hpp"

namespace calm {

struct BlockOptions {
  std::string block_column;  // required: the column whose values define the blocks
  // Optional {block value (as text): rows}. Blocks not listed get their real size; n_samples must
  // then be 0 or the total.
  Json block_sizes;
  // A block with fewer than 2 real rows cannot be learnt: error naming it (default), or skip it
  // with a warning (its rows go to the other blocks when sizes are proportional).
  bool skip_small_blocks = false;
};

class RealBlockGenerator {
 public:
  explicit RealBlockGenerator(GeneratorSettings settings = {});

  Table generate(const Table& data, const GenerateOptions& options, const BlockOptions& blocks);
  GenerateResult run(const Table& data, const GenerateOptions& options, const BlockOptions& blocks);

  const GeneratorSettings& settings() const { return settings_; }

 private:
  GeneratorSettings settings_;
  std::shared_ptr<Logger> logger_;
};

}  // namespace calm
