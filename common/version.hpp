// The one version of every executable (CMake's project version), for the one --version style:
// "PROGRAM VERSION" on stdout, exit 0. --help prints "usage: ..." lines on stdout, exit 0;
// a usage error is one line on stderr, exit 2.
#pragma once

#include <string>
#include <string_view>

namespace tender {

[[nodiscard]] std::string_view version() noexcept;
// "tender 0.1.0"
[[nodiscard]] std::string version_line(std::string_view program);

}  // namespace tender
