// The models layer's face: one registration function per method family (src/models/<family>/),
// called by the api layer (src/api/builtin_methods.cpp). Nothing else of a family is visible
// outside its folder.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

void register_resample_methods(Registry& r);      // resample/
void register_copula_methods(Registry& r);        // copula/
void register_fcs_methods(Registry& r);           // fcs/: cart, rf, lgbm
void register_mixture_methods(Registry& r);       // mixture/: gmm
void register_oversampling_methods(Registry& r);  // oversampling/: smote, adasyn
void register_sequence_methods(Registry& r);      // sequence/: copula_temporal
void register_deep_methods(
    Registry& r);  // deep/ (libtorch plugin): ctgan, tvae, copulagan, diffusion

// The `dp` method's GAN synth_types (pate_ctgan, dpctgan) live in the deep family's plugin; the
// api layer hands them to the dp family when libtorch is built in (else they say so when asked).
struct DpGanHooks {
  std::vector<ParamDef> params;  // their model_params, merged into dp's ParamSpec
  // A fresh synthesizer for "pate_ctgan" or "dpctgan"; fit() receives dp's resolved params.
  std::function<std::unique_ptr<Synthesizer>(const std::string& synth_type)> create;
  // Their fit's memory (MethodInfo::memory) from dp's resolved params.
  std::function<MemoryEstimate(size_t rows, size_t columns, const Params& params)> memory;
};
DpGanHooks dp_gan_hooks();  // deep/
// dp/: dp (mst, aim, mwem, and the GAN synth_types through `gans` when given), datasynth
void register_dp_methods(Registry& r, const DpGanHooks* gans);

// copula/: gaussian_copula fitted from partitions of a table that no one process holds
// (docs/distributed.md). Each stage passes bytes, so front ends can ship them between processes:
// sketch every partition, merge the sketches, fit the marginals, compute every partition's score
// moments under them, merge those, and build the synthesizer.
namespace copula_partitions {
std::string sketch(const Table& partition);
std::string merge_sketches(std::string_view a, std::string_view b);
struct Marginals {
  Schema schema;
  Table values;           // per column its distinct values where known (for the support table)
  std::string state;      // the column models, read by moments() and synthesizer()
  double rank_error = 0;  // largest relative rank error of a numeric column's marginal
};
Marginals fit_marginals(std::string_view sketch, const SchemaOptions& options,
                        const Params& params);
std::string moments(std::string_view state, const Table& partition, uint64_t partition_index,
                    uint64_t seed);
std::string merge_moments(std::string_view a, std::string_view b);
std::unique_ptr<Synthesizer> synthesizer(std::string_view state, std::string_view moments,
                                         const Params& params, const Logger& log);
}  // namespace copula_partitions

}  // namespace calm
