// An OpenMP loop over independent tasks (column models, folds) that carries exceptions out of the
// parallel region: an exception may not cross an OpenMP boundary, so each task's is kept and the
// one of the lowest index is rethrown — the same error whatever the thread count.
#pragma once

#include <cstddef>
#include <exception>
#include <vector>

namespace calm {

template <typename Fn>
void parallel_tasks(size_t n, int threads, Fn&& fn) {
  std::vector<std::exception_ptr> errors(n);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (size_t i = 0; i < n; ++i) {
    try {
      fn(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace calm
