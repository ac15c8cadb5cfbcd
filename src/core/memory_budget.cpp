// The memory budget and the early failure (see include/calm/core/memory_budget.hpp).
#include "calm/core/memory_budget.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "calm/core/error.hpp"

namespace calm {
namespace {

// The first number in a file ("max" or a missing file: nullopt).
std::optional<double> read_number(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || word.empty() || word.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::strtod(word.c_str(), nullptr);
}

std::optional<double> mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return std::nullopt;
}

// The cgroup's limit less what it uses already (v2, then v1). A v1 "no limit" is a huge number.
std::optional<double> cgroup_room() {
  if (auto max = read_number("/sys/fs/cgroup/memory.max")) {
    const double used = read_number("/sys/fs/cgroup/memory.current").value_or(0);
    return std::max(0.0, *max - used);
  }
  if (auto max = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes"); max && *max < 1e18) {
    const double used = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes").value_or(0);
    return std::max(0.0, *max - used);
  }
  return std::nullopt;
}

}  // namespace

double parse_memory_size(const std::string& text, const std::string& what) {
  std::istringstream in(text);
  double v = 0;
  std::string suffix;
  const bool number = static_cast<bool>(in >> v);
  in >> suffix;
  double scale = 1;
  if (suffix == "K" || suffix == "k")
    scale = 1024.0;
  else if (suffix == "M" || suffix == "m")
    scale = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "g")
    scale = 1024.0 * 1024 * 1024;
  else if (suffix == "T" || suffix == "t")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty())
    scale = -1;
  if (!number || scale < 0 || !(v > 0) || !std::isfinite(v) || !in.eof())
    throw InvalidArgument(what +
                          " must be a positive number of bytes, optionally with a K, M, G "
                          "or T suffix (e.g. 512M), got '" +
                          text + "'");
  return v * scale;
}

std::optional<MemoryBudget> memory_budget() {
  if (const char* env = std::getenv("CALM_MEMORY_LIMIT"); env && *env)
    return MemoryBudget{parse_memory_size(env, "CALM_MEMORY_LIMIT"), "CALM_MEMORY_LIMIT"};
  std::optional<MemoryBudget> best;
  if (auto a = mem_available()) best = MemoryBudget{*a, "MemAvailable in /proc/meminfo"};
  if (auto c = cgroup_room(); c && (!best || *c < best->bytes))
    best = MemoryBudget{*c, "the cgroup's memory limit"};
  return best;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  int u = 0;
  while (bytes >= 1000 && u < 6) {
    bytes /= 1000;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
  return buf;
}

MemoryEstimate table_fit_memory(size_t rows, size_t columns) {
  const double cells = static_cast<double>(rows) * static_cast<double>(columns);
  return {cells * 8 * 3, "rows x columns: the table, its encoded copy and working arrays", ""};
}

bool fits_memory(double bytes) {
  const auto budget = memory_budget();
  return !budget || bytes <= budget->bytes;
}

void check_memory(const MemoryEstimate& estimate, const std::string& what,
                  const std::string& advice) {
  const auto budget = memory_budget();
  if (!budget || estimate.bytes <= budget->bytes) return;
  throw DataError(what + " needs about " + format_bytes(estimate.bytes) + " of memory" +
                  (estimate.driver.empty() ? "" : " (" + estimate.driver + ")") + ", but about " +
                  format_bytes(budget->bytes) + " is available (" + budget->source +
                  "): " + advice);
}

}  // namespace calm
