// The one interface every synthesis method implements, and the contexts it receives.
// A method learns from a Table (fit) and produces a Table with the same columns (sample); the api
// layer then shapes the output (types, decimals, bounds) and applies post-processing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/cell_table.hpp"
#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

// Requested shares of the values of one column (custom_distributions / balance_target).
// Values use Column::numeric's encoding: categorical code, 0/1 for booleans, the number itself.
struct ColumnShares {
  std::string column;
  std::vector<double> values;
  std::vector<double> shares;  // sums to 1
  // Each value as text (category, boolean token, shortest number): what methods that model the
  // column on their own levels (the DP methods) match by.
  std::vector<std::string> labels;
};

struct FitContext {
  const Schema& schema;
  std::optional<std::string> target_col;
  Params params;
  uint64_t seed = 0;
  int threads = 1;
  const Logger& log;
};

struct SampleContext {
  uint64_t seed = 0;
  int threads = 1;
  const Logger& log;
  const ColumnShares* shares = nullptr;  // honoured only when the method can_condition()
};

class Synthesizer {
 public:
  virtual ~Synthesizer() = default;
  virtual void fit(const Table& data, const FitContext& ctx) = 0;
  // n rows, the columns of the fitted table in the same order and storage types.
  virtual Table sample(size_t n, const SampleContext& ctx) const = 0;
  // True when sample() may run on several threads at once on the same fitted model (it mutates
  // nothing): streamed runs then sample several blocks concurrently, one thread each.
  virtual bool concurrent_sampling() const { return false; }
  // True when sample() meets ctx.shares itself (exactly or within sampling noise).
  virtual bool can_condition() const { return false; }
  // Differentially private methods: the schema the output is shaped by (ranges and decimals
  // learnt under DP), so that no post-processing reads the real data; nullptr for the others.
  virtual const Schema* released_schema() const { return nullptr; }
  // Differentially private methods: the guarantee of the fitted model for the report
  // ({epsilon, delta, accountant, public_inputs, spends: [{what, ...}]}); null for the others.
  virtual Json privacy_guarantee() const { return nullptr; }
  // Single-cell methods (scvi, scgen) also learn from and write cells directly (CellTable: the
  // expression as CSR, the metadata as a table), so that a large AnnData file never becomes a
  // dense table. fit_cells' ctx.schema describes cells.obs; sample_cells gives n cells with the
  // fitted genes and obs columns, the same cells sample() would give as a table for the same
  // context. The defaults throw NotAvailable.
  virtual bool fits_cells() const { return false; }
  virtual void fit_cells(const CellTable& cells, const FitContext& ctx);
  virtual CellTable sample_cells(size_t n, const SampleContext& ctx) const;
  // Persistence (RealGenerator::save / load): save() writes the fitted state; load() restores it
  // into a freshly created, unfitted instance of the same method, after which sample() must give
  // output identical to the saved instance's for the same SampleContext. The api layer stores the
  // method name, params and schema around the payload, so a method writes only what fit() learnt.
  virtual void save(ArchiveWriter& out) const;
  virtual void load(ArchiveReader& in);
};

}  // namespace calm
