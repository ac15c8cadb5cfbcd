// The model_params of the dp method's GAN synth_types (pate_ctgan, dpctgan), declared once in
// the engine (no libtorch) so that `calm methods` and validation need no plugin, and their typed
// form. dp's own params (epsilon, delta, preprocessor_eps, bounds, domain, bins, synth_type,
// iterations, rounds, ...) are declared in models/dp/dp_params.cpp; none of these names clash.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"

namespace calm {

struct DpGanOptions {
  int epochs = 0;
  int batch_size = 0;
  int embedding_dim = 0;
  std::vector<int64_t> generator_dim, discriminator_dim;
  double generator_lr = 0, discriminator_lr = 0;
  double max_per_sample_grad_norm = 1;     // dpctgan: clipping norm C
  std::optional<double> noise_multiplier;  // dpctgan: sigma (nullopt: from epsilon)
  std::optional<int> num_teachers;         // pate_ctgan (nullopt: rows / 1000 + 1)
  int teacher_iters = 5, student_iters = 5;
  double lap_scale = 1e-3;  // pate_ctgan: lambda (Laplace noise of scale 1 / lambda)
  // Share of the model's privacy budget (as zCDP rho, see dp_gan.hpp) spent on the noisy 1-way
  // marginals that initialise the generator's output biases (0: none).
  double warm_start = 0.1;
  bool verbose = false;
  std::string device = "cpu";
};

std::vector<ParamDef> dp_gan_param_defs();
// The typed options from dp's resolved params (which hold dp_gan_param_defs()).
DpGanOptions dp_gan_options(const Params& p);
// As a Json object (for the model file) and back.
Json dp_gan_options_json(const DpGanOptions& o);
DpGanOptions dp_gan_options_from_json(const Json& j);

}  // namespace calm
