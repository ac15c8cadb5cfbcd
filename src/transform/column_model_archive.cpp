// Save/load of a copula column model. A marginal is restored by refitting its family on the
// sorted values it was fitted on (fit_marginal is deterministic, so the result is bit-identical;
// transform/ has no constructor from parameters), frequency intervals by refitting them on their
// category counts in interval order, which reproduces the order and the edges exactly.
#include <cmath>

#include "calm/core/error.hpp"
#include "transform/column_model.hpp"

namespace calm {
namespace {

// The widest id a model file may ask sampling to pad to (fit: the longest real id less its prefix).
constexpr uint64_t kMaxIdWidth = uint64_t{1} << 16;

void save_intervals(ArchiveWriter& out, const ColumnModel& m) {
  std::vector<double> values(m.intervals.size());
  for (size_t k = 0; k < values.size(); ++k) values[k] = m.intervals.value(k);
  out.f64s(values);
  out.i64s(std::vector<int64_t>(m.interval_counts.begin(), m.interval_counts.end()));
}

void load_intervals(ArchiveReader& in, ColumnModel& m) {
  const std::vector<double> values = in.f64s();
  const std::vector<int64_t> counts = in.i64s();
  if (counts.size() != values.size()) throw DataError("column model: interval counts mismatch");
  if (values.empty()) return;
  std::vector<uint64_t> positive;
  for (int64_t c : counts) {
    if (c <= 0 || c > (int64_t{1} << 40))
      throw DataError("column model: impossible interval count");
    positive.push_back(static_cast<uint64_t>(c));
  }
  m.intervals.fit_counts(values, positive);
  m.interval_counts.assign(counts.begin(), counts.end());
}

}  // namespace

void save_column_model(ArchiveWriter& out, const ColumnModel& m) {
  out.tag("column-model");
  out.column(m.prototype);
  out.u64(static_cast<uint64_t>(m.role));
  out.f64(m.constant);
  out.boolean(m.marginal != nullptr);
  if (m.marginal) {
    out.u64(static_cast<uint64_t>(m.marginal->family()));
    out.f64s(m.marginal_values);
  }
  out.u64(m.ks.size());
  for (const auto& [family, d] : m.ks) {
    out.u64(static_cast<uint64_t>(family));
    out.f64(d);
  }
  save_intervals(out, m);
  out.boolean(m.has_missing_var);
  out.i64(m.var);
  out.i64(m.missing_var);
  out.str(m.id_prefix);
  out.u64(m.id_width);
}

ColumnModel load_column_model(ArchiveReader& in) {
  in.tag("column-model");
  ColumnModel m;
  m.prototype = in.column();
  const uint64_t role = in.u64();
  if (role > static_cast<uint64_t>(ColumnRole::id)) throw DataError("column model: unknown role");
  m.role = static_cast<ColumnRole>(role);
  m.constant = in.f64();
  if (in.boolean()) {
    const uint64_t family = in.u64();
    if (family > static_cast<uint64_t>(MarginalFamily::empirical))
      throw DataError("column model: unknown marginal family");
    m.marginal_values = in.f64s();
    if (m.marginal_values.size() < 2) throw DataError("column model: marginal without values");
    m.marginal =
        fit_marginal(static_cast<MarginalFamily>(family), UnivariateSample(m.marginal_values));
  }
  const uint64_t ks = in.u64();
  for (uint64_t k = 0; k < ks; ++k) {
    const uint64_t family = in.u64();
    if (family > static_cast<uint64_t>(MarginalFamily::empirical))
      throw DataError("column model: unknown marginal family");
    m.ks.emplace_back(static_cast<MarginalFamily>(family), in.f64());
  }
  load_intervals(in, m);
  m.has_missing_var = in.boolean();
  m.var = static_cast<int>(in.i64());
  m.missing_var = static_cast<int>(in.i64());
  m.id_prefix = in.str();
  m.id_width = in.u64();
  // Sampling pads every new id to this width: a crafted width must not ask for gigabytes a cell.
  if (m.id_width > kMaxIdWidth) throw DataError("column model: impossible id width");
  return m;
}

}  // namespace calm
