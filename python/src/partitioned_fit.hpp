// _calm.partition_sketch / merge_sketches / partition_plan / partition_moments / merge_moments /
// save_partitioned_model: fitting gaussian_copula from partitions (docs/distributed.md).
#pragma once

#include <pybind11/pybind11.h>

namespace calm::bind {

void bind_partitioned_fit(pybind11::module_& m);

}  // namespace calm::bind
