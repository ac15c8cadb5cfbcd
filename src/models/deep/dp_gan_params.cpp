// Declarations and typed form of the dp GAN synth_types' model_params (see dp_gan_params.hpp).
#include "models/deep/dp_gan_params.hpp"

#include "calm/core/error.hpp"
#include "models/deep/device_param.hpp"

namespace calm {

std::vector<ParamDef> dp_gan_param_defs() {
  return {
      {.name = "epochs",
       .type = ParamType::integer,
       .default_value = 5,
       .doc = "pate_ctgan/dpctgan: passes over the data (dpctgan: rows / batch_size DP-SGD steps "
              "each; pate_ctgan: as many generator steps, at most: training stops earlier when "
              "the budget is spent)",
       .min = 1.0,
       .max = 100000.0},
      {.name = "batch_size",
       .type = ParamType::integer,
       .default_value = 500,
       .doc = "pate_ctgan/dpctgan: generated rows per step; dpctgan: the expected real batch "
              "(Poisson sampling rate batch_size / rows)",
       .min = 2.0},
      {.name = "embedding_dim",
       .type = ParamType::integer,
       .default_value = 64,
       .doc = "pate_ctgan/dpctgan: size of the generator's random input",
       .min = 1.0},
      {.name = "generator_dim",
       .type = ParamType::int_list,
       .default_value = Json::array({128, 128}),
       .doc = "pate_ctgan/dpctgan: widths of the generator's residual layers"},
      {.name = "discriminator_dim",
       .type = ParamType::int_list,
       .default_value = Json::array({128, 128}),
       .doc = "pate_ctgan/dpctgan: widths of the discriminators' hidden layers"},
      {.name = "generator_lr",
       .type = ParamType::number,
       .default_value = 1e-3,
       .doc = "pate_ctgan/dpctgan: Adam learning rate of the generator",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "discriminator_lr",
       .type = ParamType::number,
       .default_value = 1e-3,
       .doc = "pate_ctgan/dpctgan: Adam learning rate of the discriminator(s)",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "max_per_sample_grad_norm",
       .type = ParamType::number,
       .default_value = 1.0,
       .doc = "dpctgan: clipping norm C of each real row's discriminator gradient",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "noise_multiplier",
       .type = ParamType::number,
       .default_value = nullptr,
       .doc = "dpctgan: noise std / clipping norm of DP-SGD (None: the smallest that lets all "
              "epochs fit the budget; given: training stops when the budget is spent)",
       .min = 0.0,
       .min_exclusive = true,
       .nullable = true},
      {.name = "num_teachers",
       .type = ParamType::integer,
       .default_value = nullptr,
       .doc = "pate_ctgan: teacher discriminators, each on its own share of the rows (None: "
              "rows / 1000 + 1, as smartnoise)",
       .min = 1.0,
       .nullable = true},
      {.name = "teacher_iters",
       .type = ParamType::integer,
       .default_value = 5,
       .doc = "pate_ctgan: updates of every teacher per generator step",
       .min = 1.0},
      {.name = "student_iters",
       .type = ParamType::integer,
       .default_value = 5,
       .doc = "pate_ctgan: student updates (batch_size teacher-labelled rows each) per "
              "generator step",
       .min = 1.0},
      {.name = "lap_scale",
       .type = ParamType::number,
       .default_value = 1e-3,
       .doc = "pate_ctgan: lambda of the teachers' vote: Laplace noise of scale 1 / lambda on "
              "each vote count (smaller: noisier labels, more of them within the budget)",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "warm_start",
       .type = ParamType::number,
       .default_value = 0.1,
       .doc = "pate_ctgan/dpctgan: share of the model's budget (of its zCDP rho at the model's "
              "epsilon and delta) spent on noisy 1-way marginals (discrete Gaussian) that "
              "initialise the generator to the independent model; composed with training's "
              "accountant (0: no warm start)",
       .min = 0.0,
       .max = 0.9},
      {.name = "verbose",
       .type = ParamType::boolean,
       .default_value = false,
       .doc = "pate_ctgan/dpctgan: log the losses and the epsilon spent as training goes"},
      device_param_def("pate_ctgan/dpctgan: "),
  };
}

DpGanOptions dp_gan_options(const Params& p) {
  DpGanOptions o;
  o.epochs = static_cast<int>(p.get_int("epochs"));
  o.batch_size = static_cast<int>(p.get_int("batch_size"));
  o.embedding_dim = static_cast<int>(p.get_int("embedding_dim"));
  o.generator_dim = p.get_int_list("generator_dim");
  o.discriminator_dim = p.get_int_list("discriminator_dim");
  o.generator_lr = p.get_double("generator_lr");
  o.discriminator_lr = p.get_double("discriminator_lr");
  o.max_per_sample_grad_norm = p.get_double("max_per_sample_grad_norm");
  if (!p.is_null("noise_multiplier")) o.noise_multiplier = p.get_double("noise_multiplier");
  if (!p.is_null("num_teachers")) o.num_teachers = static_cast<int>(p.get_int("num_teachers"));
  o.teacher_iters = static_cast<int>(p.get_int("teacher_iters"));
  o.student_iters = static_cast<int>(p.get_int("student_iters"));
  o.lap_scale = p.get_double("lap_scale");
  o.warm_start = p.get_double("warm_start");
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  for (const auto* dims : {&o.generator_dim, &o.discriminator_dim})
    for (int64_t w : *dims)
      if (w < 1)
        throw InvalidArgument(
            "model_params generator_dim / discriminator_dim of dp must hold positive widths, "
            "got " +
            std::to_string(w));
  return o;
}

Json dp_gan_options_json(const DpGanOptions& o) {
  Json j = {{"epochs", o.epochs},
            {"batch_size", o.batch_size},
            {"embedding_dim", o.embedding_dim},
            {"generator_dim", o.generator_dim},
            {"discriminator_dim", o.discriminator_dim},
            {"generator_lr", o.generator_lr},
            {"discriminator_lr", o.discriminator_lr},
            {"max_per_sample_grad_norm", o.max_per_sample_grad_norm},
            {"noise_multiplier", nullptr},
            {"num_teachers", nullptr},
            {"teacher_iters", o.teacher_iters},
            {"student_iters", o.student_iters},
            {"lap_scale", o.lap_scale},
            {"warm_start", o.warm_start},
            {"verbose", o.verbose},
            {"device", o.device}};
  if (o.noise_multiplier) j["noise_multiplier"] = *o.noise_multiplier;
  if (o.num_teachers) j["num_teachers"] = *o.num_teachers;
  return j;
}

DpGanOptions dp_gan_options_from_json(const Json& j) {
  Json k = j;
  if (k.is_object() && !k.contains("warm_start")) k["warm_start"] = 0.0;  // older model files
  return dp_gan_options(Params(std::move(k)));
}

}  // namespace calm
