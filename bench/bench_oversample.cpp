// Engine time of `smote` / `adasyn` (fit + sample on an in-memory table, no CSV), the figure
// compared with imbalanced-learn's fit_resample by bench/bench_oversampling.py.
// Usage: bench_oversample <data.csv> <target> [--n N] [--threads T] [--repeat R] [method ...]
// N defaults to classes x majority count (imbalanced-learn's "auto" output size). Prints one line
// per method: best fit, best sample and best fit+sample seconds over R runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "calm/calm.hpp"

using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: %s data.csv target [--n N] [--threads T] [--repeat R] [method...]\n",
                 argv[0]);
    return 2;
  }
  const std::string path = argv[1], target = argv[2];
  std::vector<std::string> methods;
  long n = -1;
  int threads = 1, repeat = 3;
  for (int i = 3; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--n") && i + 1 < argc)
      n = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = std::atoi(argv[++i]);
    else
      methods.push_back(argv[i]);
  }
  if (methods.empty()) methods = {"smote", "adasyn"};
  try {
    const calm::Table data = calm::read_csv(path);
    const calm::Schema schema = calm::infer_schema(data);
    if (n < 0) {
      std::map<std::string, size_t> counts;
      const calm::Column& y = data.column(target);
      for (size_t i = 0; i < data.num_rows(); ++i) ++counts[y.text(i)];
      size_t most = 0;
      for (const auto& [value, count] : counts) most = std::max(most, count);
      n = static_cast<long>(most * counts.size());
    }
    const calm::Logger quiet(calm::LogLevel::quiet, nullptr);
    std::printf("%s: %zu rows, target %s, n=%ld, threads %d, best of %d\n", path.c_str(),
                data.num_rows(), target.c_str(), n, threads, repeat);
    for (const auto& name : methods) {
      const auto& info = calm::method_registry().get(name);
      double best_fit = 1e30, best_sample = 1e30, best_total = 1e30;
      for (int r = 0; r < repeat; ++r) {
        auto synth = info.create();
        const calm::FitContext fc{schema, target,  info.params.resolve(nullptr, name),
                                  1,      threads, quiet};
        const auto t0 = Clock::now();
        synth->fit(data, fc);
        const double fit = since(t0);
        const auto t1 = Clock::now();
        const calm::Table out =
            synth->sample(static_cast<size_t>(n), calm::SampleContext{2, threads, quiet, nullptr});
        const double sample = since(t1);
        if (out.num_rows() != static_cast<size_t>(n)) throw std::runtime_error("wrong row count");
        best_fit = std::min(best_fit, fit);
        best_sample = std::min(best_sample, sample);
        best_total = std::min(best_total, fit + sample);
      }
      std::printf("%-8s fit %.4f s  sample %.4f s  fit+sample %.4f s\n", name.c_str(), best_fit,
                  best_sample, best_total);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
