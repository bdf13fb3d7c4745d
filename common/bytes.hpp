// Byte buffers and strict hexadecimal: every hex string that enters the terminal
// (config, scenario files, the CLI) goes through from_hex, so a typo is an error.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace tender {

using Byte = std::uint8_t;
using Bytes = std::vector<Byte>;
using ByteView = std::span<const Byte>;

// Upper-case hex, two characters a byte, no separators.
std::string to_hex(ByteView bytes);

// Strict: an odd length or any character outside [0-9A-Fa-f] is Errc::malformed.
// The empty string is zero bytes.
Result<Bytes> from_hex(std::string_view hex);

// Same as from_hex but the result must be exactly `expected_length` bytes.
Result<Bytes> from_hex_exact(std::string_view hex, std::size_t expected_length);

inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const Byte*>(text.data()), text.size()};
}

// Big-endian helpers for the fixed-width fields of the standards.
constexpr std::uint64_t load_be(ByteView bytes) {
  std::uint64_t v = 0;
  for (Byte b : bytes) v = (v << 8) | b;
  return v;
}

constexpr void store_be(std::uint64_t value, std::span<Byte> out) {
  for (std::size_t i = out.size(); i-- > 0;) {
    out[i] = static_cast<Byte>(value & 0xFF);
    value >>= 8;
  }
}

}  // namespace tender
