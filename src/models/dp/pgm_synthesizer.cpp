// What mst and aim share: the compressed domain's maps, fitting Private-PGM with progress, and
// sampling from it (see marginal_methods.hpp).
#include <algorithm>

#include "calm/core/error.hpp"
#include "models/dp/marginal_methods.hpp"

namespace calm {
namespace {

// The merged level's stream for mapping a compressed code back (one per attribute and chunk).
constexpr uint64_t kExpandStreams = 1ULL << 54;

}  // namespace

void PgmSynthesizer::estimate(std::vector<pgm::Measurement> measurements, int iterations,
                              const Logger& log) {
  pgm::EstimateOptions o;
  o.iterations = iterations;
  o.progress = [&log, iterations](int it, double loss) {
    log.debug("  Private-PGM iteration " + std::to_string(it) + "/" + std::to_string(iterations) +
              ", loss " + std::to_string(loss));
  };
  model_.estimate(measurements, o);
}

Codes PgmSynthesizer::sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                                   const std::vector<int32_t>* fixed_values) const {
  std::vector<int32_t> fixed_small;
  if (fixed_attr >= 0) {
    fixed_small.resize(n);
    for (size_t i = 0; i < n; ++i)
      fixed_small[i] = compressed_.to_small[fixed_attr][(*fixed_values)[i]];
  }
  Codes codes =
      model_.sample(n, seed, threads, fixed_attr, fixed_attr >= 0 ? &fixed_small : nullptr);
  // Back to the original codes: a merged level becomes one of its values, uniformly (MST's
  // reverse_data); a fixed attribute keeps the requested values.
  for (size_t a = 0; a < codes.size(); ++a) {
    if (static_cast<int>(a) == fixed_attr) {
      codes[a] = *fixed_values;
      continue;
    }
    const auto& to_small = compressed_.to_small[a];
    const auto& merged = compressed_.merged[a];
    const auto& cumulative = compressed_.merged_cumulative[a];
    const double mass = cumulative.empty() ? 0 : cumulative.back();
    std::vector<int32_t> to_big(compressed_.sizes[a], -1);
    for (size_t v = 0; v < to_small.size(); ++v)
      if (to_big[to_small[v]] < 0) to_big[to_small[v]] = static_cast<int32_t>(v);
    const int32_t merged_code = merged.empty() ? -1 : to_small[merged.front()];
    const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
    for (size_t k = 0; k < chunks; ++k) {
      Rng rng(seed, stream_id(StreamPurpose::sample, kExpandStreams + (a << 32) + k));
      for (size_t i = k * kSampleChunk; i < std::min(n, (k + 1) * kSampleChunk); ++i) {
        int32_t& c = codes[a][i];
        if (c != merged_code) {
          c = to_big[c];
        } else if (mass > 0) {
          const double u = rng.uniform() * mass;
          c = merged[std::upper_bound(cumulative.begin(), cumulative.end(), u) -
                     cumulative.begin()];
        } else {
          c = merged[rng.below(merged.size())];
        }
      }
    }
  }
  return codes;
}

void PgmSynthesizer::save_model(ArchiveWriter& out) const {
  out.tag("compressed_domain");
  out.u64(compressed_.sizes.size());
  for (size_t a = 0; a < compressed_.sizes.size(); ++a) {
    out.i32s(compressed_.to_small[a]);
    out.i32s(compressed_.merged[a]);
    out.f64s(compressed_.merged_cumulative[a]);
  }
  model_.save(out);
}

void PgmSynthesizer::load_model(ArchiveReader& in) {
  in.tag("compressed_domain");
  const uint64_t d = in.u64();
  if (d > 1000000) throw DataError("model file: the compressed DP domain is corrupt");
  compressed_ = {};
  for (size_t a = 0; a < d; ++a) {
    compressed_.to_small.push_back(in.i32s());
    compressed_.merged.push_back(in.i32s());
    compressed_.merged_cumulative.push_back(in.f64s());
    if (compressed_.merged_cumulative.back().size() != compressed_.merged.back().size())
      throw DataError("model file: the compressed DP domain is corrupt");
    int size = 0;
    for (int32_t c : compressed_.to_small.back()) {
      if (c < 0) throw DataError("model file: the compressed DP domain is corrupt");
      size = std::max(size, c + 1);
    }
    compressed_.sizes.push_back(size);
    for (int32_t v : compressed_.merged.back())
      if (v < 0 || static_cast<size_t>(v) >= compressed_.to_small.back().size())
        throw DataError("model file: the compressed DP domain is corrupt");
  }
  model_.load(in);
  // The model draws codes below its sizes, which map back through the compressed domain to the
  // DP domain's levels: all three must agree.
  bool agree = model_.sizes().size() == d && d == domain().attribute_columns().size();
  for (size_t a = 0; agree && a < d; ++a)
    agree = model_.sizes()[a] == compressed_.sizes[a] &&
            compressed_.to_small[a].size() ==
                static_cast<size_t>(domain().columns()[domain().attribute_columns()[a]].size());
  if (!agree) throw DataError("model file: the DP model does not match its domain");
}

}  // namespace calm
