#include "common/bytes.hpp"

namespace tender {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

int nibble(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string to_hex(ByteView bytes) {
  std::string out;
  out.resize(bytes.size() * 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0x0F];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return make_error(Errc::malformed,
                      "hex string has odd length " + std::to_string(hex.size()));
  }
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      // Position only: the text itself may be key material.
      return make_error(Errc::malformed, "non-hex character at offset " +
                                             std::to_string(2 * i + (hi < 0 ? 0 : 1)));
    }
    out[i] = static_cast<Byte>((hi << 4) | lo);
  }
  return out;
}

Result<Bytes> from_hex_exact(std::string_view hex, std::size_t expected_length) {
  auto bytes = from_hex(hex);
  if (!bytes) return bytes;
  if (bytes->size() != expected_length) {
    return make_error(Errc::invalid_argument,
                      "expected " + std::to_string(expected_length) + " bytes, got " +
                          std::to_string(bytes->size()));
  }
  return bytes;
}

}  // namespace tender
