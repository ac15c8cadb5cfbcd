// An endless (or n_samples-long) run of a fitted model read by row ranges: the Python
// StreamGenerator and `calm sample --stream` read it batch by batch. Row r of the stream is row r
// of the run (core/row_blocks.hpp), so a batch of any size, asked in any order, is the same bytes;
// the block under the last batch is kept, so consecutive batches sample each block once. Dates
// continue across batches; custom shares and constraints are met per block.
#pragma once

#include <memory>
#include <optional>

#include "calm/api/real_generator.hpp"

namespace calm {

class RowStream {
 public:
  // o.n_samples 0: endless. Validates o against the model like RealGenerator::run_fitted (`real`,
  // when given, is the training table and must outlive the stream). Dynamics and drift span a
  // whole output and are refused here (InvalidArgument).
  RowStream(const RealGenerator& generator, GenerateOptions o, const Table* real = nullptr);
  ~RowStream();
  RowStream(RowStream&&) noexcept;

  // Rows [begin, end); past n_samples (when set) the range is cut short.
  Table rows(size_t begin, size_t end);
  std::optional<size_t> size() const;  // n_samples, or nullopt when endless
  uint64_t seed() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace calm
