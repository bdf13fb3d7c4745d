// A TCP port as people write it in configs and on command lines: decimal digits only (no
// sign, no spaces), from `min` to 65535. `min` is 1 for a peer's port and 0 for a listening
// port where 0 asks the kernel for any free one. Errors: Errc::malformed (not digits, or
// more than 5 of them), Errc::out_of_range (a number outside min..65535); the caller words
// them for its field or option.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.hpp"

namespace tender {

[[nodiscard]] Result<std::uint16_t> parse_port(std::string_view digits, std::uint16_t min = 1);

}  // namespace tender
