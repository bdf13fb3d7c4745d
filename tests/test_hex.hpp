// Test vectors as hex text. Spaces are allowed so vectors can be grouped as the
// standards print them; a malformed vector fails the test that uses it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace tender::test {

inline Bytes hex(std::string_view text) {
  std::string compact;
  for (char c : text)
    if (c != ' ') compact.push_back(c);
  auto bytes = from_hex(compact);
  if (!bytes) {
    ADD_FAILURE() << "bad test vector: " << bytes.error().describe();
    return {};
  }
  return std::move(*bytes);
}

}  // namespace tender::test
