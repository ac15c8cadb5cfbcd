// CSV reader throughput: a deterministic ~100 MB numeric CSV (1M rows x 10 float columns) written
// to a temporary file, read with one thread and with all threads (best of 3), then a real file
// (diamonds.csv by default, or argv[1]). Prints MB/s (1 MB = 1e6 bytes) by wall time and by
// process CPU time: on a shared machine the CPU figure of the one-thread run is the single-core
// throughput, the wall figure is what a user waits.
//   usage: bench_csv [path/to/real.csv] [rows]
#include <omp.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "calm/io/csv.hpp"

namespace {

// Rows of ten floats with 1 to 6 decimals and a few magnitudes, from a 64-bit LCG (Knuth MMIX).
std::string numeric_csv(size_t rows) {
  std::string out = "c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\n";
  out.reserve(rows * 100);
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  char cell[64];
  for (size_t r = 0; r < rows; ++r) {
    for (int c = 0; c < 10; ++c) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      double u = double(state >> 11) * 0x1.0p-53;
      int decimals = 1 + int((state >> 3) % 6);
      double scale = c % 3 == 0 ? 1000.0 : (c % 3 == 1 ? 1.0 : 50.0);
      int n = std::snprintf(cell, sizeof cell, "%.*f", decimals, (u - 0.3) * scale);
      if (c) out += ',';
      out.append(cell, n);
    }
    out += '\n';
  }
  return out;
}

struct Timing {
  double wall = 1e300, cpu = 1e300;  // best of the repeats, seconds
  size_t rows = 0;
};

Timing time_reads(const std::string& path, int threads, int repeats) {
  calm::CsvReadOptions options;
  options.threads = threads;
  Timing best;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu_start = std::clock();
    calm::Table t = calm::read_csv(path, options);
    double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best.rows = t.num_rows();
    best.wall = std::min(best.wall, wall);
    best.cpu = std::min(best.cpu, cpu);
  }
  return best;
}

void report(const std::string& label, const std::string& path, int threads) {
  const double mb = double(std::filesystem::file_size(path)) / 1e6;
  Timing t = time_reads(path, threads, 3);
  std::printf(
      "%-26s threads=%-2d %7.1f MB %8zu rows  wall %6.3f s %7.1f MB/s  cpu %6.3f s %7.1f MB/s\n",
      label.c_str(), threads, mb, t.rows, t.wall, mb / t.wall, t.cpu, mb / t.cpu);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string real = argc > 1 ? argv[1] : "../shared/datasets/diamonds.csv";
  const size_t rows = argc > 2 ? std::stoul(argv[2]) : 1000000;
  const int all = omp_get_max_threads();

  const auto tmp = std::filesystem::temp_directory_path() / "calm_bench_numeric.csv";
  {
    std::string text = numeric_csv(rows);
    std::ofstream(tmp, std::ios::binary).write(text.data(), std::streamsize(text.size()));
  }
  report("numeric 10 float columns", tmp.string(), 1);
  report("numeric 10 float columns", tmp.string(), all);
  std::filesystem::remove(tmp);

  if (std::filesystem::exists(real)) {
    report(std::filesystem::path(real).filename().string(), real, 1);
    report(std::filesystem::path(real).filename().string(), real, all);
  } else {
    std::printf("%s not found; skipped\n", real.c_str());
  }
  return 0;
}
