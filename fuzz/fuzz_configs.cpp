// libFuzzer target: the JSON configs. The input is a generate() options object (CLI --config,
// Python kwargs): from_json, then validate_run against the fuzz table (custom_distributions,
// constraints, dates, drift, dynamics are all checked there), then, when valid, the constraints
// and post-processing (dynamics, dates, drift) applied to the table itself. Nothing is fitted and
// nothing is written (output_dir is dropped).
#include <cstdint>
#include <string>

#include "api/pipeline.hpp"
#include "calm/core/error.hpp"
#include "fuzz_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace calm;
  const Json j = Json::parse(reinterpret_cast<const char*>(data),
                             reinterpret_cast<const char*>(data) + size, nullptr, false);
  if (j.is_discarded()) return 0;
  const Table& t = fuzz::small_table();
  static const Logger quiet(LogLevel::error, [](LogLevel, const std::string&) {});
  try {
    GenerateOptions o = GenerateOptions::from_json(j);
    o.output_dir.reset();
    o.save_dataset = false;
    o.adversarial_validation = false;
    // Bounded sizes: post-processing runs on the fuzz table, not on n_samples rows.
    const ValidatedRun v = validate_run(t, o);
    if (!v.constraints.empty()) {
      std::vector<size_t> violations(v.constraints.size());
      (void)v.constraints.check(v.constraints.transform(t), violations);
    }
    (void)post_process(t, o, v, 7, quiet, nullptr, 0, 0);
  } catch (const InvalidArgument&) {
  } catch (const DataError&) {
  } catch (const NotAvailable&) {
  }
  return 0;
}
