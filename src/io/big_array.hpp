// Internal to the CSV reader: an allocator for the per-cell arrays of a large file. They come
// straight from mmap, 2 MiB-aligned and marked for transparent huge pages, so that filling 100 MB
// of field boundaries takes a few dozen page faults instead of tens of thousands.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace calm::csv_detail {

template <typename T>
class BigArrayAllocator {
 public:
  using value_type = T;
  BigArrayAllocator() = default;
  template <typename U>
  BigArrayAllocator(const BigArrayAllocator<U>&) {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kMinBytes) return std::allocator<T>().allocate(n);
    // Map one huge page more than needed, then unmap the unaligned head and the tail.
    const size_t mapped = bytes + kHugePage;
    void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
    if (aligned > start) ::munmap(raw, aligned - start);
    const uintptr_t end = start + mapped, used_end = aligned + round_up(bytes);
    if (end > used_end) ::munmap(reinterpret_cast<void*>(used_end), end - used_end);
#ifdef MADV_HUGEPAGE
    ::madvise(reinterpret_cast<void*>(aligned), round_up(bytes), MADV_HUGEPAGE);
#endif
    return reinterpret_cast<T*>(aligned);
  }

  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kMinBytes) return std::allocator<T>().deallocate(p, n);
    ::munmap(p, round_up(bytes));
  }

  template <typename U>
  bool operator==(const BigArrayAllocator<U>&) const {
    return true;
  }

 private:
  static constexpr size_t kHugePage = size_t{2} << 20;
  static constexpr size_t kMinBytes = size_t{4} << 20;
  static constexpr size_t kPage = 4096;
  static size_t round_up(size_t bytes) {
    return (bytes + kPage - 1) & ~(kPage - 1);
  }
};

}  // namespace calm::csv_detail
