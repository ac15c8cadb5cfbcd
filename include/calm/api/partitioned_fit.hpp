// Fitting a model from partitions of a table that no one process holds (Dask, Spark:
// docs/distributed.md). gaussian_copula is fitted from the partitions themselves in two passes:
// every partition is sketched (counts, ranges, distinct values, quantile summaries), the merged
// sketch gives the schema and the marginals (the plan), every partition's normal scores under the
// plan give mergeable moments, and the merged moments give the correlation. Each stage takes and
// returns bytes, so a front end can run it on any worker and merge in any tree; the result is an
// ordinary model file (docs/persistence.md).
#pragma once

#include <string>
#include <string_view>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm::partitioned_fit {

// The methods fitted from partitions; the others fit on a sample of them (front ends).
bool supports(const std::string& method);

std::string sketch(const Table& partition);
std::string merge_sketches(std::string_view a, std::string_view b);

// Checks `options` — an object with `method` (default "gaussian_copula"), `target_col`,
// `model_params` and `column_types`, as generate() takes them — against the merged sketch and
// fits the marginals. InvalidArgument names an unknown key or a bad value.
std::string plan(std::string_view sketch, const Json& options, uint64_t seed, const Logger& log);

std::string moments(std::string_view plan, const Table& partition, uint64_t partition_index);
std::string merge_moments(std::string_view a, std::string_view b);

// The model file's bytes, and the file itself written atomically.
std::string model_file(std::string_view plan, std::string_view moments,
                       const std::string& front_end_info, const Logger& log);
void save_model(std::string_view plan, std::string_view moments, const std::string& front_end_info,
                const std::string& path, const Logger& log);

}  // namespace calm::partitioned_fit
