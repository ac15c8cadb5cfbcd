// Declarations and validation of timegan's model_params.
#include "models/deep/timegan_params.hpp"

#include "models/deep/device_param.hpp"

namespace calm {

ParamSpec timegan_param_spec() {
  ParamSpec spec;
  for (ParamDef& d : sequence_param_defs()) spec.add(std::move(d));
  const TimeganOptions o;
  spec.add({.name = "seq_len",
            .type = ParamType::integer,
            .default_value = static_cast<int64_t>(o.seq_len),
            .doc = "steps per training window (the paper's seq_len); longer entities are cut into "
                   "consecutive windows, each conditioned on the step before it, and generated "
                   "window after window; shorter ones are masked, not padded with repeated rows",
            .min = 2.0,
            .max = 4096.0});
  spec.add({.name = "epochs",
            .type = ParamType::integer,
            .default_value = o.epochs,
            .doc = "iterations of the joint phase (each: two generator+supervisor and two "
                   "embedder+recovery steps, one discriminator step when its loss exceeds 0.15); "
                   "the autoencoder phase and the supervised phase run as many steps each, as in "
                   "the authors' code (their `iterations`, default 50000)",
            .aliases = {"iterations"},
            .min = 1.0});
  spec.add({.name = "hidden_dim",
            .type = ParamType::integer,
            .default_value = o.hidden_dim,
            .doc = "width of the latent space and of every GRU layer",
            .min = 1.0,
            .max = 4096.0});
  spec.add({.name = "num_layers",
            .type = ParamType::integer,
            .default_value = o.num_layers,
            .doc = "GRU layers of the embedder, recovery, generator and discriminator (the "
                   "supervisor has one fewer, at least one)",
            .min = 1.0,
            .max = 16.0});
  spec.add({.name = "batch_size",
            .type = ParamType::integer,
            .default_value = o.batch_size,
            .doc = "windows per optimiser step (drawn without replacement; all of them when "
                   "there are fewer)",
            .min = 1.0});
  spec.add({.name = "learning_rate",
            .type = ParamType::number,
            .default_value = o.learning_rate,
            .doc = "Adam learning rate of every network",
            .aliases = {"lr"},
            .min = 0.0,
            .min_exclusive = true});
  spec.add({.name = "verbose",
            .type = ParamType::boolean,
            .default_value = false,
            .doc = "show a progress bar over the three phases with their losses"});
  spec.add(device_param_def());
  const std::vector<std::string> families = marginal_family_choices();
  spec.add({.name = "default_distribution",
            .type = ParamType::choice,
            .default_value = "empirical",
            .doc = "marginal of the context model's numbers (context columns, length, start, "
                   "span, entity levels) and of the steps' numbers, which the networks see "
                   "quantile-normalised (F(x) in [0, 1]): empirical (the real values, "
                   "interpolated), auto (best-fitting family if it passes the KS test at 5%, else "
                   "empirical) or one family for all",
            .choices = families});
  return spec;
}

TimeganOptions timegan_options(const Json& user) {
  const Params p = timegan_param_spec().resolve(user, "timegan");
  TimeganOptions o;
  o.columns = sequence_columns(p, "timegan");
  o.seq_len = static_cast<size_t>(p.get_int("seq_len"));
  o.epochs = static_cast<int>(p.get_int("epochs"));
  o.hidden_dim = static_cast<int>(p.get_int("hidden_dim"));
  o.num_layers = static_cast<int>(p.get_int("num_layers"));
  o.batch_size = static_cast<int>(p.get_int("batch_size"));
  o.learning_rate = p.get_double("learning_rate");
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  o.family = marginal_family_choice(p.get_string("default_distribution"));
  return o;
}

}  // namespace calm
