#include "common/result.hpp"

#include <array>

namespace tender {

std::string_view to_string(Errc code) noexcept {
  // Indexed by the enum: keep in the enum's order.
  static constexpr std::array<std::string_view, 13> names = {
      "invalid_argument", "malformed", "truncated", "out_of_range", "checksum",  "not_found",
      "unsupported",      "exhausted", "io_error",  "crypto_error", "timeout",   "cancelled",
      "busy",
  };
  const auto index = static_cast<std::size_t>(code);
  return index < names.size() ? names[index] : std::string_view{"unknown"};
}

std::string Error::describe() const {
  std::string out{to_string(code)};
  if (!message.empty()) {
    out += ": ";
    out += message;
  }
  return out;
}

}  // namespace tender
