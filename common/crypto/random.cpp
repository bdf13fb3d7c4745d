#include "common/crypto/random.hpp"

#include <sys/random.h>

#include <cerrno>

namespace tender::crypto {

Result<void> random_bytes(std::span<Byte> out) {
  std::size_t filled = 0;
  while (filled < out.size()) {
    const ssize_t n = ::getrandom(out.data() + filled, out.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io_error, "getrandom failed");
    }
    filled += static_cast<std::size_t>(n);
  }
  return ok();
}

}  // namespace tender::crypto
