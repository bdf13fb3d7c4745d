// Zeroization that the optimizer may not remove (dead-store elimination would
// otherwise drop a memset on memory that is about to be freed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>

namespace tender {

void secure_zero(void* data, std::size_t size) noexcept;

// Constant-time comparison for MACs, PIN verification results and key check values.
bool constant_time_equal(const void* a, const void* b, std::size_t size) noexcept;

// An allocator that wipes memory before giving it back, so that growth of a
// secret buffer (reallocation) never leaves a clear copy in freed heap.
template <class T>
struct ZeroizingAllocator {
  using value_type = T;

  ZeroizingAllocator() noexcept = default;
  template <class U>
  ZeroizingAllocator(const ZeroizingAllocator<U>&) noexcept {}  // NOLINT

  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    secure_zero(p, n * sizeof(T));
    ::operator delete(p);
  }

  template <class U>
  bool operator==(const ZeroizingAllocator<U>&) const noexcept { return true; }
};

}  // namespace tender
