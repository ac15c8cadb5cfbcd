// libFuzzer target: the model-file loader (api/model_file.hpp) on any bytes: the header, schema,
// support table and every method's payload (Synthesizer::load through core/archive). A file the
// loader accepts is sampled (a few rows), which reads the loaded indices and sizes. A crafted file
// must fail with a DataError, never allocate more than it could hold nor read out of bounds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/model_file.hpp"
#include "calm/core/error.hpp"

// The loader's memory guard (calm/core/memory_budget.hpp) against the target's own limit, so that a
// model asking for more than the 2 GB of -malloc_limit_mb fails as the guard says, with a
// DataError.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("CALM_MEMORY_LIMIT", "1G", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace calm;
  static const Logger quiet(LogLevel::error, [](LogLevel, const std::string&) {});
  try {
    const FittedModel m =
        model_from_bytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    (void)m.synth->sample(5, SampleContext{.seed = 1, .threads = 1, .log = quiet});
  } catch (const DataError&) {
  } catch (const InvalidArgument&) {
  } catch (const NotAvailable&) {
  }
  return 0;
}
