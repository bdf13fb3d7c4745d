// Declarations of the data CMake embeds (embed.cmake writes builtin_data.cpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "drivers/icc/sim/builtin.hpp"

namespace tender::icc::sim::generated {

extern const BuiltinProfile kProfiles[];
extern const std::size_t kProfileCount;
extern const std::string_view kKeysJson;
extern const std::string_view kCapkJson;

}  // namespace tender::icc::sim::generated
