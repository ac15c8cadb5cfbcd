// A mergeable sketch of one partition of a table, for fitting gaussian_copula from partitions that
// no one process holds (docs/distributed.md). Per column it keeps what the schema and the copula's
// column models read: cell counts, range, integer-ness and decimals exactly; distinct values with
// their counts exactly while there are few enough (numbers: kMaxTrackedNumbers, texts:
// kMaxTrackedTexts); the present finite values as a quantile summary with a rank-error bound; the
// shape of text keys (shared prefix, longest key).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "transform/column_model.hpp"
#include "transform/quantile_summary.hpp"

namespace calm {

inline constexpr size_t kMaxTrackedNumbers = 10000;
inline constexpr size_t kMaxTrackedTexts = 200000;

struct ColumnSketch {
  std::string name;
  StorageType storage = StorageType::float64;
  ColumnFormat format;
  uint64_t rows = 0;
  uint64_t missing = 0;     // missing cells
  uint64_t non_finite = 0;  // +-inf cells (float64): missing to the copula
  bool any_present = false;
  double min = 0, max = 0;      // of present values (numeric encoding), valid when any_present
  bool integer = true;          // every present value whole (int64 storage: always)
  bool tracked = true;          // `numbers` / `texts` hold every distinct present value
  uint64_t distinct_floor = 0;  // most distinct values seen in one partition (when not tracked)
  std::map<double, uint64_t> numbers;     // numeric, boolean, datetime storage
  std::map<std::string, uint64_t> texts;  // categorical storage
  bool keys_unique = true;  // categorical storage: no text repeated (within partitions once
                            // `texts` is dropped)
  std::string key_prefix;   // categorical storage: the prefix every present text shares
  size_t key_longest = 0;
  QuantileSummary quantiles;  // numeric and datetime storage: present finite values

  size_t distinct() const;  // exact when tracked, else a lower bound
};

struct TableSketch {
  uint64_t rows = 0;
  std::vector<ColumnSketch> columns;

  static TableSketch of(const Table& partition);
  // Adds `other` (same columns and storage types, else InvalidArgument naming the column).
  void merge(const TableSketch& other);

  std::string to_bytes() const;
  static TableSketch from_bytes(std::string_view bytes);
};

// The schema the sketched table would get from infer_schema with `options` (overrides applied),
// distinct counts exact while tracked.
Schema sketch_schema(const TableSketch& sketch, const SchemaOptions& options);

// Column j's prototype (name, storage, format; categorical storage: the dictionary of every
// category, in text order) and the digest its column model is fitted from.
ColumnDigest sketch_digest(const ColumnSketch& column, SemanticType semantic);

}  // namespace calm
