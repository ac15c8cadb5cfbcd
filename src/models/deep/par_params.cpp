// Declarations and validation of par's model_params.
#include "models/deep/par_params.hpp"

#include "models/deep/device_param.hpp"

namespace calm {

ParamSpec par_param_spec() {
  ParamSpec spec;
  for (ParamDef& d : sequence_param_defs()) spec.add(std::move(d));
  const ParOptions o;
  spec.add({.name = "epochs",
            .type = ParamType::integer,
            .default_value = o.epochs,
            .doc = "passes over the training entities (SDV's PAR: 128 full-batch steps; here each "
                   "pass takes batch_size entities per optimiser step)",
            .aliases = {"par_epochs", "sdv_epochs"},
            .min = 1.0});
  spec.add({.name = "sample_size",
            .type = ParamType::integer,
            .default_value = o.sample_size,
            .doc = "candidate sequences drawn per entity; the most likely one under the network "
                   "is kept (1: plain ancestral sampling)",
            .min = 1.0,
            .max = 100.0});
  spec.add({.name = "segment_size",
            .type = ParamType::integer,
            .default_value = nullptr,
            .doc = "train on segments of at most this many steps (long sequences: less memory, "
                   "shorter back-propagation); None = whole sequences. Sampling always runs "
                   "whole sequences",
            .min = 2.0,
            .nullable = true});
  spec.add({.name = "batch_size",
            .type = ParamType::integer,
            .default_value = o.batch_size,
            .doc = "entities (segments) per optimiser step",
            .min = 1.0});
  spec.add({.name = "hidden_size",
            .type = ParamType::integer,
            .default_value = o.hidden_size,
            .doc = "width of the input projection and of the GRU state (SDV's PAR: 32)",
            .min = 1.0,
            .max = 4096.0});
  spec.add({.name = "learning_rate",
            .type = ParamType::number,
            .default_value = o.learning_rate,
            .doc = "Adam learning rate",
            .aliases = {"lr"},
            .min = 0.0,
            .min_exclusive = true});
  spec.add({.name = "verbose",
            .type = ParamType::boolean,
            .default_value = false,
            .doc = "show a progress bar with the loss of every epoch"});
  spec.add(device_param_def());
  const std::vector<std::string> families = marginal_family_choices();
  spec.add({.name = "default_distribution",
            .type = ParamType::choice,
            .default_value = "empirical",
            .doc = "marginal of the context model's numbers (context columns, length, start, "
                   "span, entity levels) and of the steps' numbers, which the network models as "
                   "normal scores: "
                   "empirical (the real values, interpolated), auto (best-fitting family if it "
                   "passes the KS test at 5%, else empirical) or one family for all",
            .choices = families});
  return spec;
}

ParOptions par_options(const Json& user) {
  const Params p = par_param_spec().resolve(user, "par");
  ParOptions o;
  o.columns = sequence_columns(p, "par");
  o.epochs = static_cast<int>(p.get_int("epochs"));
  o.sample_size = static_cast<int>(p.get_int("sample_size"));
  o.segment_size = p.is_null("segment_size") ? 0 : static_cast<size_t>(p.get_int("segment_size"));
  o.batch_size = static_cast<int>(p.get_int("batch_size"));
  o.hidden_size = static_cast<int>(p.get_int("hidden_size"));
  o.learning_rate = p.get_double("learning_rate");
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  o.family = marginal_family_choice(p.get_string("default_distribution"));
  return o;
}

}  // namespace calm
