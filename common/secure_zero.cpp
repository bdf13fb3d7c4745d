#include "common/secure_zero.hpp"

namespace tender {

void secure_zero(void* data, std::size_t size) noexcept {
  if (data == nullptr || size == 0) return;
  volatile auto* p = static_cast<volatile unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) p[i] = 0;
  // Tell the compiler the memory is observed, so the stores above stay.
  __asm__ __volatile__("" : : "r"(data) : "memory");
}

bool constant_time_equal(const void* a, const void* b, std::size_t size) noexcept {
  const auto* x = static_cast<const volatile unsigned char*>(a);
  const auto* y = static_cast<const volatile unsigned char*>(b);
  unsigned char diff = 0;
  for (std::size_t i = 0; i < size; ++i) diff = static_cast<unsigned char>(diff | (x[i] ^ y[i]));
  return diff == 0;
}

}  // namespace tender
