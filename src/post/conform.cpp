// Output shaping shared by every method (see conform.hpp).
#include "calm/post/conform.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm {

static Column conform_column(const Column& in, const ColumnSchema& s, const ConformOptions& opt) {
  Column c = in;
  const bool clip = opt.clip_to_observed_range && s.semantic != SemanticType::id;
  if (c.type == StorageType::float64) {
    for (double& v : c.f64) {
      if (std::isnan(v)) continue;
      if (clip) v = std::clamp(v, s.min, s.max);
      v = round_to_decimals(v, s.decimals);
    }
  } else if (c.type == StorageType::int64 || c.type == StorageType::datetime) {
    if (clip) {
      const auto lo = static_cast<int64_t>(s.min), hi = static_cast<int64_t>(s.max);
      for (int64_t& v : c.i64) v = std::clamp(v, lo, hi);
    }
  }
  return c;
}

Table conform_to_schema(const Table& sampled, const Schema& schema, const ConformOptions& opt) {
  if (sampled.num_columns() != schema.size())
    throw InternalError("method returned " + std::to_string(sampled.num_columns()) +
                        " columns, expected " + std::to_string(schema.size()));
  std::vector<Column> cols;
  cols.reserve(schema.size());
  for (size_t i = 0; i < schema.size(); ++i) {
    const ColumnSchema& s = schema[i];
    const Column& c = sampled.column(s.name);
    if (c.type != s.storage)
      throw InternalError("method returned column '" + s.name + "' as " + to_string(c.type) +
                          ", expected " + to_string(s.storage));
    cols.push_back(conform_column(c, s, opt));
  }
  return Table(std::move(cols));
}

}  // namespace calm
