// Fit, encode and decode of the Table <-> encoded-rows bridge of the deep methods.
#include "models/deep/deep_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "transform/normal_scores.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void DeepTable::fit(const Table& data, const Schema& schema, const DeepTableOptions& options) {
  layout_ = MixedLayout::fit(data, schema, /*standardize=*/true);
  names_ = data.column_names();
  training_ = data;
  schema_ = schema;
  const size_t n = data.num_rows(), p = layout_.numerics().size();
  std::vector<double> numeric = layout_.numeric_matrix(data);
  marginals_.clear();
  marginals_.resize(p);
  if (options.copula) {
    for (size_t j = 0; j < p; ++j) {
      std::vector<double> column(n);
      for (size_t i = 0; i < n; ++i) column[i] = numeric[i * p + j];
      UnivariateSample sample(column);
      marginals_[j] = select_marginal(sample, options.family).marginal;
      for (size_t i = 0; i < n; ++i) {
        double& v = numeric[i * p + j];
        if (!std::isnan(v)) v = normal_score(marginals_[j]->cdf(v));
      }
    }
  }
  std::vector<size_t> levels;
  for (const auto& d : layout_.discretes()) levels.push_back(d.levels.size());
  encoder_.fit(numeric.data(), p, levels, n, options.modes);
}

void DeepTable::save(ArchiveWriter& out) const {
  out.tag("deep-table");
  out.table(training_);
  // MixedLayout reads each column's semantic type and distinct count from the schema.
  out.u64(schema_.size());
  for (const ColumnSchema& c : schema_.columns) {
    out.str(c.name);
    out.u64(static_cast<uint64_t>(c.semantic));
    out.u64(c.distinct);
  }
}

void DeepTable::load(ArchiveReader& in, const DeepTableOptions& options) {
  in.tag("deep-table");
  Table data = in.table();
  Schema schema;
  const uint64_t columns = in.u64();
  for (uint64_t j = 0; j < columns; ++j) {
    ColumnSchema c;
    c.name = in.str();
    const uint64_t semantic = in.u64();
    if (semantic > static_cast<uint64_t>(SemanticType::id))
      throw DataError("deep table: unknown semantic type");
    c.semantic = static_cast<SemanticType>(semantic);
    c.distinct = in.u64();
    if (!data.has(c.name)) throw DataError("deep table: schema names an unknown column");
    c.storage = data.column(c.name).type;
    schema.columns.push_back(std::move(c));
  }
  if (schema.size() != data.num_columns()) throw DataError("deep table: schema mismatch");
  fit(data, schema, options);
}

std::vector<double> DeepTable::encode(const Table& data, Rng& rng) const {
  const size_t n = data.num_rows(), p = layout_.numerics().size();
  std::vector<double> numeric = layout_.numeric_matrix(data);
  for (size_t j = 0; j < p; ++j)
    if (marginals_[j])
      for (size_t i = 0; i < n; ++i) {
        double& v = numeric[i * p + j];
        if (!std::isnan(v)) v = normal_score(marginals_[j]->cdf(v));
      }
  const std::vector<int32_t> codes = layout_.discrete_codes(data);
  return encoder_.transform(numeric.data(), codes.data(), n, ModeChoice::sample, &rng);
}

Table DeepTable::decode(const std::vector<double>& encoded, size_t n) const {
  const size_t p = layout_.numerics().size();
  std::vector<double> numeric(n * p);
  std::vector<int32_t> codes(n * layout_.discretes().size());
  encoder_.inverse(encoded.data(), n, numeric.data(), codes.data());
  for (size_t j = 0; j < p; ++j)
    if (marginals_[j])
      for (size_t i = 0; i < n; ++i) {
        double& v = numeric[i * p + j];
        if (!std::isnan(v)) v = marginals_[j]->ppf(normal_cdf(v));
      }
  for (double& v : numeric)
    if (!std::isfinite(v)) v = kNaN;
  return layout_.build(n, numeric, codes);
}

std::optional<size_t> DeepTable::discrete_feature(const std::string& name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) return std::nullopt;
  const int f = layout_.discrete_of_column(static_cast<size_t>(it - names_.begin()));
  if (f < 0) return std::nullopt;
  return static_cast<size_t>(f);
}

}  // namespace calm
