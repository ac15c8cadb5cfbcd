// Memory guards (issue 21): a run that would need more memory than the machine has left fails
// early, with the estimate and the option that helps, instead of being killed by the kernel's OOM
// killer hours later. The budget is what the process may still use: the CALM_MEMORY_LIMIT
// environment variable when set (bytes, or with a K/M/G/T suffix: "512M"), else the smaller of
// /proc/meminfo's MemAvailable and the cgroup's limit less its usage (cgroup v2 memory.max, v1
// memory.limit_in_bytes). Estimates are rough (within a small factor): they catch the absurd,
// such as n_components x columns^2 or n_estimators x rows x columns beyond the machine, not a
// run that is 10% too big.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace calm {

// What a step would allocate: bytes, and what the estimate grows with ("n_estimators=500 trees x
// rows x columns"), for the message.
struct MemoryEstimate {
  double bytes = 0;
  std::string driver;
  std::string
      params;  // the parameters that lower it ("n_estimators"), for the advice; may be empty
};

// The budget in bytes and where it comes from ("CALM_MEMORY_LIMIT", "MemAvailable", "cgroup
// limit"); nullopt when nothing is known (then no check is made). Read at each call.
struct MemoryBudget {
  double bytes = 0;
  std::string source;
};
std::optional<MemoryBudget> memory_budget();

// "1.5 GB", "820 MB", "12 KB" (decimal units).
std::string format_bytes(double bytes);

// Parses "1000", "512M", "2G", "1.5T" (K/M/G/T, powers of 1024); InvalidArgument otherwise.
double parse_memory_size(const std::string& text, const std::string& what);

// The estimate of a fit that holds a few copies of the table (the table, its encoded copy and
// working arrays): the default of methods that declare none.
MemoryEstimate table_fit_memory(size_t rows, size_t columns);

// True when `estimate` fits the budget (or the budget is unknown).
bool fits_memory(double bytes);

// Throws DataError "<what> needs about <X> of memory (<driver>), but about <Y> is available
// (<source>): <advice>" when the estimate does not fit.
void check_memory(const MemoryEstimate& estimate, const std::string& what,
                  const std::string& advice);

}  // namespace calm
