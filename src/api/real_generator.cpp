// RealGenerator::run: validate everything -> synthesize (fit, sample, conform, custom
// distributions, constraints) -> post-process (dynamics, dates, drift) -> write dataset and
// reports. The stages live in pipeline.cpp so that RealBlockGenerator runs the same ones.
#include "calm/api/real_generator.hpp"

#include <omp.h>

#include "api/pipeline.hpp"
#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"

namespace calm {

RealGenerator::RealGenerator(GeneratorSettings settings)
    : settings_(std::move(settings)),
      logger_(settings_.logger ? settings_.logger : std::make_shared<Logger>()) {
  if (settings_.threads < 0)
    throw InvalidArgument("threads must be >= 0 (0 = all cores), got " +
                          std::to_string(settings_.threads));
}

Table RealGenerator::generate(const Table& data, const GenerateOptions& options) {
  return run(data, options).synthetic;
}

GenerateResult RealGenerator::run(const Table& data, const GenerateOptions& o) {
  const Logger& log = *logger_;
  ValidatedRun v = validate_run(data, o);
  const uint64_t seed = settings_.random_state.value_or(entropy_seed());
  if (!settings_.random_state)
    log.info("no random_state given; using seed " + std::to_string(seed) +
             " (pass it as random_state to repeat this run)");
  const int threads = settings_.threads > 0 ? settings_.threads : omp_get_max_threads();
  Table synthetic = synthesize(data, o, v, seed, threads, log);
  synthetic = post_process(synthetic, o, v, seed, log);
  GenerateResult result{synthetic, v.schema, {}, seed};
  result.files = write_outputs(data, synthetic, v.schema, o, settings_, threads, seed, log);
  return result;
}

}  // namespace calm
