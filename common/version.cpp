#include "common/version.hpp"

#ifndef TENDER_VERSION
#error "TENDER_VERSION is set by common/CMakeLists.txt from the project's version"
#endif

namespace tender {

std::string_view version() noexcept { return TENDER_VERSION; }

std::string version_line(std::string_view program) {
  std::string line{program};
  line += ' ';
  line += version();
  return line;
}

}  // namespace tender
