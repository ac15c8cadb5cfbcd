// Column writers of a resample: cell copies for real rows, interpolation for synthetic ones.
#include "models/oversampling/resample_output.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "calm/core/rng.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// out[0..rows.size()) = src[rows], same storage.
void copy_cells(const Column& src, const std::vector<int64_t>& rows, Column& out) {
  const size_t n = rows.size();
  auto copy = [&](const auto& from, auto& to) {
    for (size_t w = 0; w < n; ++w) to[w] = from[static_cast<size_t>(rows[w])];
  };
  switch (src.type) {
    case StorageType::float64:
      copy(src.f64, out.f64);
      break;
    case StorageType::int64:
    case StorageType::datetime:
      copy(src.i64, out.i64);
      break;
    case StorageType::boolean:
      copy(src.b, out.b);
      break;
    case StorageType::categorical:
      copy(src.codes, out.codes);
      break;
  }
  if (!src.valid.empty()) copy(src.valid, out.valid);
}

// Column::numeric values of synthetic rows [begin, end) of one column into buf.
void synthetic_values(const OutputColumn& col, const FeatureMatrix& f, const ResamplePlan& plan,
                      size_t begin, size_t end, double* buf) {
  const size_t S = plan.synthetic();
  switch (col.kind) {
    case OutputColumn::Kind::numeric: {
      const double* x = f.numeric.data() + col.index * f.n;
      for (size_t i = begin; i < end; ++i) {
        const double vs = x[plan.seed[i]], vt = x[plan.partner[i]];
        // A feature missing in the seed stays missing; one missing only in the partner copies
        // the seed's value.
        buf[i - begin] = std::isnan(vs) ? kNaN : std::isnan(vt) ? vs : vs + plan.gap[i] * (vt - vs);
      }
      return;
    }
    case OutputColumn::Kind::discrete: {
      const int32_t* codes = plan.codes.data() + col.index * S;
      for (size_t i = begin; i < end; ++i) buf[i - begin] = col.values[codes[i]];
      return;
    }
    case OutputColumn::Kind::target:
      for (size_t i = begin; i < end; ++i) buf[i - begin] = col.values[plan.cls[i]];
      return;
    case OutputColumn::Kind::id:
      return;
  }
}

// Rounds half away from zero like std::llround, for |v| < 2^63, without the libm call: the
// largest double below 0.5 keeps v + 0.49999999999999994 under the next integer for fractions
// below one half.
int64_t round_half_away(double v) {
  return static_cast<int64_t>(v + std::copysign(0.49999999999999994, v));
}

// Capacity for n elements, with the pages mapped by one system call (Linux 5.14+
// MADV_POPULATE_WRITE) instead of one page fault per 4 KiB on first touch: on shuttle the faults of
// the output columns were a fifth of smote's time. Elsewhere, or when the kernel refuses, it is a
// plain reserve.
template <typename T>
void reserve_mapped(std::vector<T>& v, size_t n) {
  v.reserve(n);
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  constexpr uintptr_t kPage = 4096;
  const auto first = reinterpret_cast<uintptr_t>(v.data());
  const uintptr_t begin = (first + kPage - 1) & ~(kPage - 1);
  const uintptr_t end = (first + n * sizeof(T)) & ~(kPage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
}

// The common case in one pass: an int64 or float64 feature without missing values, so no
// validity vector and no intermediate buffer.
bool write_complete_numeric(const Column& src, const FeatureMatrix& f, size_t j,
                            const ResamplePlan& plan, Column& out) {
  if (f.has_missing[j] || !src.valid.empty() ||
      (src.type != StorageType::int64 && src.type != StorageType::float64))
    return false;
  const size_t real = plan.kept.size(), S = plan.synthetic();
  const double* x = f.numeric.data() + j * f.n;
  out.name = src.name;
  out.type = src.type;
  out.format = src.format;
  if (src.type == StorageType::int64) {
    reserve_mapped(out.i64, real + S);
    out.i64.resize(real + S);
    for (size_t w = 0; w < real; ++w) out.i64[w] = src.i64[static_cast<size_t>(plan.kept[w])];
    for (size_t i = 0; i < S; ++i) {
      const double vs = x[plan.seed[i]], vt = x[plan.partner[i]];
      out.i64[real + i] = round_half_away(vs + plan.gap[i] * (vt - vs));
    }
  } else {
    reserve_mapped(out.f64, real + S);
    out.f64.resize(real + S);
    for (size_t w = 0; w < real; ++w) out.f64[w] = src.f64[static_cast<size_t>(plan.kept[w])];
    for (size_t i = 0; i < S; ++i) {
      const double vs = x[plan.seed[i]], vt = x[plan.partner[i]];
      out.f64[real + i] = vs + plan.gap[i] * (vt - vs);
    }
  }
  return true;
}

}  // namespace

Table write_resample(const Table& data, const std::vector<OutputColumn>& columns,
                     const FeatureMatrix& f, const ResamplePlan& plan, int threads) {
  const size_t real = plan.kept.size(), S = plan.synthetic(), n = real + S;
  std::vector<Column> out(columns.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (size_t c = 0; c < columns.size(); ++c) {
    const OutputColumn& col = columns[c];
    if (col.kind == OutputColumn::Kind::numeric &&
        write_complete_numeric(data.column(c), f, col.index, plan, out[c]))
      continue;
    Column o = allocate_output(col.model, n);
    if (col.kind != OutputColumn::Kind::id) {
      copy_cells(data.column(c), plan.kept, o);
      std::vector<double> buf(std::min(S, kSampleChunk));
      for (size_t begin = 0; begin < S; begin += kSampleChunk) {
        const size_t end = std::min(S, begin + kSampleChunk);
        synthetic_values(col, f, plan, begin, end, buf.data());
        write_values(o, real + begin, buf.data(), end - begin);
      }
    }
    finish_output(col.model, o);
    out[c] = std::move(o);
  }
  return Table(std::move(out));
}

}  // namespace calm
