// Declarations and validation of the deep methods' model_params.
#include "models/deep/deep_params.hpp"

#include "calm/core/error.hpp"

namespace calm {
namespace {

std::vector<ParamDef> common_defs(int epochs_default) {
  return {
      {.name = "epochs",
       .type = ParamType::integer,
       .default_value = epochs_default,
       .doc = "passes over the training data",
       .aliases = {"sdv_epochs"},
       .min = 1.0},
      {.name = "batch_size",
       .type = ParamType::integer,
       .default_value = 500,
       .doc = "rows per training step (ctgan/copulagan: a multiple of pac)",
       .aliases = {"sdv_batch_size"},
       .min = 1.0},
      {.name = "embedding_dim",
       .type = ParamType::integer,
       .default_value = 128,
       .doc = "size of the random input of the generator (ctgan) / of the latent code (tvae)",
       .min = 1.0},
      {.name = "verbose",
       .type = ParamType::boolean,
       .default_value = false,
       .doc = "show a progress bar with the losses of every epoch"},
      {.name = "device",
       .type = ParamType::choice,
       .default_value = "cpu",
       .doc = "where to train: cpu, or cuda when libtorch was built with CUDA",
       .choices = {"cpu", "cuda"}},
  };
}

int to_int(const Params& p, const char* name) {
  return static_cast<int>(p.get_int(name));
}

}  // namespace

ParamSpec ctgan_param_spec(bool copula) {
  ParamSpec spec;
  for (auto& d : common_defs(300)) spec.add(std::move(d));
  spec.add({.name = "generator_dim",
            .type = ParamType::int_list,
            .default_value = Json::array({256, 256}),
            .doc = "widths of the generator's residual layers"});
  spec.add({.name = "discriminator_dim",
            .type = ParamType::int_list,
            .default_value = Json::array({256, 256}),
            .doc = "widths of the discriminator's hidden layers"});
  spec.add({.name = "generator_lr",
            .type = ParamType::number,
            .default_value = 2e-4,
            .doc = "Adam learning rate of the generator",
            .min = 0.0,
            .min_exclusive = true});
  spec.add({.name = "discriminator_lr",
            .type = ParamType::number,
            .default_value = 2e-4,
            .doc = "Adam learning rate of the discriminator",
            .min = 0.0,
            .min_exclusive = true});
  spec.add({.name = "generator_decay",
            .type = ParamType::number,
            .default_value = 1e-6,
            .doc = "Adam weight decay of the generator",
            .min = 0.0});
  spec.add({.name = "discriminator_decay",
            .type = ParamType::number,
            .default_value = 1e-6,
            .doc = "Adam weight decay of the discriminator",
            .min = 0.0});
  spec.add({.name = "discriminator_steps",
            .type = ParamType::integer,
            .default_value = 1,
            .doc = "discriminator updates per generator update (WGAN uses 5; CTGAN 1)",
            .min = 1.0});
  spec.add({.name = "log_frequency",
            .type = ParamType::boolean,
            .default_value = true,
            .doc = "training-by-sampling draws conditions by log-frequency (true) or frequency"});
  spec.add({.name = "pac",
            .type = ParamType::integer,
            .default_value = 10,
            .doc = "rows the discriminator judges together (PacGAN); divides batch_size",
            .min = 1.0});
  if (copula) {
    std::vector<std::string> families = marginal_family_names();
    families.insert(families.begin(), "auto");
    spec.add({.name = "default_distribution",
              .type = ParamType::choice,
              .default_value = "beta",
              .doc = "marginal family of every numeric column before CTGAN (SDV's default beta); "
                     "auto: the Kolmogorov-Smirnov choice of gaussian_copula",
              .choices = families});
  }
  return spec;
}

CtganOptions ctgan_options(const Json& user, const std::string& method, bool copula) {
  const Params p = ctgan_param_spec(copula).resolve(user, method);
  CtganOptions o;
  o.epochs = to_int(p, "epochs");
  o.batch_size = to_int(p, "batch_size");
  o.embedding_dim = to_int(p, "embedding_dim");
  o.generator_dim = p.get_int_list("generator_dim");
  o.discriminator_dim = p.get_int_list("discriminator_dim");
  o.generator_lr = p.get_double("generator_lr");
  o.discriminator_lr = p.get_double("discriminator_lr");
  o.generator_decay = p.get_double("generator_decay");
  o.discriminator_decay = p.get_double("discriminator_decay");
  o.discriminator_steps = to_int(p, "discriminator_steps");
  o.log_frequency = p.get_bool("log_frequency");
  o.pac = to_int(p, "pac");
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  if (o.batch_size % o.pac != 0)
    throw InvalidArgument("model_param 'batch_size' of method '" + method +
                          "' must be a multiple of pac=" + std::to_string(o.pac) + ", got " +
                          std::to_string(o.batch_size));
  if (copula) {
    const std::string f = p.get_string("default_distribution");
    if (f != "auto") o.family = marginal_family_from_string(f);
  }
  return o;
}

ParamSpec tvae_param_spec() {
  ParamSpec spec;
  for (auto& d : common_defs(300)) spec.add(std::move(d));
  spec.add({.name = "compress_dims",
            .type = ParamType::int_list,
            .default_value = Json::array({128, 128}),
            .doc = "widths of the encoder's hidden layers"});
  spec.add({.name = "decompress_dims",
            .type = ParamType::int_list,
            .default_value = Json::array({128, 128}),
            .doc = "widths of the decoder's hidden layers"});
  spec.add({.name = "l2scale",
            .type = ParamType::number,
            .default_value = 1e-5,
            .doc = "Adam weight decay",
            .min = 0.0});
  spec.add({.name = "loss_factor",
            .type = ParamType::number,
            .default_value = 2.0,
            .doc = "weight of the reconstruction error against the KL divergence",
            .min = 0.0,
            .min_exclusive = true});
  return spec;
}

TvaeOptions tvae_options(const Json& user) {
  const Params p = tvae_param_spec().resolve(user, "tvae");
  TvaeOptions o;
  o.epochs = to_int(p, "epochs");
  o.batch_size = to_int(p, "batch_size");
  o.embedding_dim = to_int(p, "embedding_dim");
  o.compress_dims = p.get_int_list("compress_dims");
  o.decompress_dims = p.get_int_list("decompress_dims");
  o.l2scale = p.get_double("l2scale");
  o.loss_factor = p.get_double("loss_factor");
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  return o;
}

}  // namespace calm
