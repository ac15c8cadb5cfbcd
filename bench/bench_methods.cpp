// Benchmark of the synthesis methods: CSV parse, fit and sample time per method on one dataset.
// Usage: bench_methods <data.csv> [method ...] [--n N] [--threads T] [--repeat R]
// Prints one row per method (best of R runs). Quality is measured separately (calm evaluate).
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "calm/calm.hpp"
#include "calm/post/conform.hpp"

using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s data.csv [method ...] [--n N] [--threads T] [--repeat R]\n",
                 argv[0]);
    return 2;
  }
  std::string path = argv[1];
  std::vector<std::string> methods;
  long n = -1;
  int threads = 1, repeat = 3;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--n") && i + 1 < argc)
      n = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = std::atoi(argv[++i]);
    else
      methods.push_back(argv[i]);
  }
  if (methods.empty()) methods = {"resample", "gaussian_copula"};
  try {
    auto t0 = Clock::now();
    calm::CsvReadOptions ro;
    ro.threads = threads;
    calm::Table data = calm::read_csv(path, ro);
    double parse = since(t0);
    calm::Schema schema = calm::infer_schema(data);
    if (n < 0) n = static_cast<long>(data.num_rows());
    calm::Logger quiet(calm::LogLevel::quiet, nullptr);
    std::printf("dataset %s: %zu rows x %zu cols, parse %.3f s, threads %d, n=%ld\n", path.c_str(),
                data.num_rows(), data.num_columns(), parse, threads, n);
    std::printf("%-18s %10s %10s %12s\n", "method", "fit_s", "sample_s", "rows/s");
    for (const auto& name : methods) {
      const auto& info = calm::method_registry().get(name);
      double best_fit = 1e30, best_sample = 1e30;
      for (int r = 0; r < repeat; ++r) {
        auto synth = info.create();
        calm::FitContext fc{schema, std::nullopt, info.params.resolve(nullptr, name),
                            1,      threads,      quiet};
        t0 = Clock::now();
        synth->fit(data, fc);
        best_fit = std::min(best_fit, since(t0));
        calm::SampleContext sc{2, threads, quiet, nullptr};
        t0 = Clock::now();
        calm::Table out =
            calm::conform_to_schema(synth->sample(static_cast<size_t>(n), sc), schema);
        best_sample = std::min(best_sample, since(t0));
      }
      std::printf("%-18s %10.3f %10.3f %12.0f\n", name.c_str(), best_fit, best_sample,
                  static_cast<double>(n) / best_sample);
    }
  } catch (const calm::Error& e) {
    std::fprintf(stderr, "bench_methods: %s\n", e.what());
    return 2;
  }
  return 0;
}
