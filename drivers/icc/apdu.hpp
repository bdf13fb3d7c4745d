// ISO/IEC 7816-4 command and response APDUs (short length only: EMV Book 1 9.4
// never uses extended lengths).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::icc {

// The four command cases of ISO/IEC 7816-3 12.1 / EMV Book 1 9.4.
enum class ApduCase { one = 1, two = 2, three = 3, four = 4 };

struct CommandApdu {
  Byte cla = 0x00;
  Byte ins = 0x00;
  Byte p1 = 0x00;
  Byte p2 = 0x00;
  Bytes data;                       // Lc is its size: 0..255
  std::optional<std::uint16_t> le;  // 0..256; 256 is encoded as 00

  [[nodiscard]] ApduCase apdu_case() const noexcept;
  // Errc::invalid_argument when data exceeds 255 bytes or Le exceeds 256.
  [[nodiscard]] Result<Bytes> encode() const;
};

// Parses a short command APDU (the card side of the seam uses it).
Result<CommandApdu> parse_command(ByteView bytes);

// SW1 SW2 as one number, the way the standards print them ("9000", "6A82").
using StatusWord = std::uint16_t;

inline constexpr StatusWord kSwOk = 0x9000;

struct ResponseApdu {
  Bytes data;
  StatusWord sw = 0;

  [[nodiscard]] Byte sw1() const noexcept { return static_cast<Byte>(sw >> 8); }
  [[nodiscard]] Byte sw2() const noexcept { return static_cast<Byte>(sw & 0xFF); }
  [[nodiscard]] bool ok() const noexcept { return sw == kSwOk; }
  [[nodiscard]] Bytes encode() const;
};

// At least SW1 SW2; Errc::truncated otherwise.
Result<ResponseApdu> parse_response(ByteView bytes);

std::string sw_to_hex(StatusWord sw);

}  // namespace tender::icc
