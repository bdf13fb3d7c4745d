#include "common/port.hpp"

namespace tender {

Result<std::uint16_t> parse_port(std::string_view digits, std::uint16_t min) {
  if (digits.empty() || digits.size() > 5) return make_error(Errc::malformed, "a port is 1 to 5 digits");
  unsigned value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return make_error(Errc::malformed, "a port is digits only");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value < min || value > 65535) return make_error(Errc::out_of_range, "the port is outside the range");
  return static_cast<std::uint16_t>(value);
}

}  // namespace tender
