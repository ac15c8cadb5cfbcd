// `resample`: the bootstrap (Efron 1979) — n rows drawn with replacement from the real table.
// With requested shares on one column it first draws the row's value of that column from the
// shares, then a row uniformly among the real rows holding that value, so the realised mix meets
// the shares (the original weighted rows by share only, which left 90/10 data near 90/10).
#include <algorithm>
#include <map>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/row_sampling.hpp"
#include "models/families.hpp"

namespace calm {
namespace {

class ResampleSynthesizer final : public Synthesizer {
 public:
  void fit(const Table& data, const FitContext&) override { data_ = data; }

  bool can_condition() const override { return true; }
  bool concurrent_sampling() const override { return true; }

  Table sample(size_t n, const SampleContext& ctx) const override {
    std::vector<int64_t> rows(n);
    if (ctx.shares) {
      auto groups = group_rows_by_value(data_.column(ctx.shares->column), ctx.shares->values);
      std::vector<double> cumulative(ctx.shares->shares.size());
      double acc = 0;
      for (size_t k = 0; k < cumulative.size(); ++k) {
        // A requested value that no real row holds cannot be resampled.
        if (groups[k].empty() && ctx.shares->shares[k] > 0)
          throw DataError("resample cannot produce value of '" + ctx.shares->column +
                          "' that does not occur in the data; use a generative method");
        acc += ctx.shares->shares[k];
        cumulative[k] = acc;
      }
      for_each_chunk(n, ctx, [&](Rng& rng, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          const auto& g = groups[rng.categorical(cumulative.data(), cumulative.size())];
          rows[i] = g[rng.below(g.size())];
        }
      });
    } else {
      const uint64_t m = data_.num_rows();
      for_each_chunk(n, ctx, [&](Rng& rng, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) rows[i] = static_cast<int64_t>(rng.below(m));
      });
    }
    return data_.take_rows(rows);
  }

  // The bootstrap's whole fitted state is the training table itself.
  void save(ArchiveWriter& out) const override {
    out.tag("resample-v1");
    out.table(data_);
  }
  void load(ArchiveReader& in) override {
    in.tag("resample-v1");
    data_ = in.table();
  }

 private:
  Table data_;
};

}  // namespace

void register_resample_methods(Registry& r) {
  MethodInfo m;
  m.name = "resample";
  m.family = "statistical";
  m.summary = "Bootstrap: rows drawn with replacement (honours custom_distributions on one column)";
  m.reference = "Efron (1979), Bootstrap methods: another look at the jackknife";
  m.create = [] { return std::make_unique<ResampleSynthesizer>(); };
  r.add(std::move(m));
}

}  // namespace calm
