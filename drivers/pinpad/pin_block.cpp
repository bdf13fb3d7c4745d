#include "drivers/pinpad/pin_block.hpp"

#include "common/pan.hpp"
#include "common/crypto/block_cipher.hpp"

namespace tender::pinpad {
namespace {

constexpr Byte kFormat0Control = 0x0;
constexpr Byte kFormat2Control = 0x2;
constexpr Byte kFormat4Control = 0x4;
constexpr Byte kFormat0Fill = 0xF;
constexpr Byte kFormat4Fill = 0xA;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

Result<void> check_pin(std::string_view pin) {
  if (pin.size() < kPinMinLength || pin.size() > kPinMaxLength)
    return make_error(Errc::invalid_argument, "PIN must be 4 to 12 digits long");
  for (char c : pin)
    if (!is_digit(c)) return make_error(Errc::invalid_argument, "PIN contains a non-digit");
  return ok();
}

// Only the reason is kept from Pan::parse; its messages never quote the PAN.
Result<void> check_pan(std::string_view pan) {
  auto parsed = Pan::parse(pan);
  if (!parsed) return make_error(Errc::invalid_argument, "PIN block: " + parsed.error().message);
  return ok();
}

// Nibble i (0 = high nibble of byte 0) of a block.
Byte nibble(ByteView block, std::size_t i) noexcept {
  const Byte b = block[i / 2];
  return (i % 2 == 0) ? static_cast<Byte>(b >> 4) : static_cast<Byte>(b & 0x0F);
}

void set_nibble(std::span<Byte> block, std::size_t i, Byte value) noexcept {
  Byte& b = block[i / 2];
  b = (i % 2 == 0) ? static_cast<Byte>((b & 0x0F) | (value << 4))
                   : static_cast<Byte>((b & 0xF0) | (value & 0x0F));
}

// The first 8 bytes of both PIN field formats: C N P..P fill..fill.
void write_pin_nibbles(std::span<Byte> field8, Byte control, std::string_view pin, Byte fill) {
  set_nibble(field8, 0, control);
  set_nibble(field8, 1, static_cast<Byte>(pin.size()));
  for (std::size_t i = 0; i < 14; ++i) {
    set_nibble(field8, 2 + i, i < pin.size() ? static_cast<Byte>(pin[i] - '0') : fill);
  }
}

// Inverse of write_pin_nibbles, with the checks of ISO 9564-1 for the format.
Result<SecretString> read_pin_nibbles(ByteView field8, Byte control, Byte fill) {
  if (nibble(field8, 0) != control)
    return make_error(Errc::malformed, "PIN block control field does not match the format");
  const std::size_t length = nibble(field8, 1);
  if (length < kPinMinLength || length > kPinMaxLength)
    return make_error(Errc::malformed, "PIN block PIN length outside 4..12");
  SecretString pin;
  for (std::size_t i = 0; i < 14; ++i) {
    const Byte n = nibble(field8, 2 + i);
    if (i < length) {
      if (n > 9) return make_error(Errc::malformed, "PIN block PIN digit is not decimal");
      pin.push_back(static_cast<char>('0' + n));
    } else if (n != fill) {
      return make_error(Errc::malformed, "PIN block fill is wrong for the format");
    }
  }
  return pin;
}

// Format 0 PAN field: 0000 + rightmost 12 digits excluding the check digit.
std::array<Byte, 8> format0_pan_field(std::string_view pan) {
  std::array<Byte, 8> field{};
  const std::string_view body = pan.substr(0, pan.size() - 1);  // drop the check digit
  const std::size_t take = body.size() < 12 ? body.size() : 12;
  const std::string_view digits = body.substr(body.size() - take);
  // Right-aligned in nibbles 4..15; shorter bodies keep leading zero nibbles.
  const std::size_t first = 16 - take;
  for (std::size_t i = 0; i < take; ++i) {
    set_nibble(field, first + i, static_cast<Byte>(digits[i] - '0'));
  }
  return field;
}

void xor_into(std::span<Byte> target, ByteView other) noexcept {
  for (std::size_t i = 0; i < target.size(); ++i) target[i] ^= other[i];
}

}  // namespace

Result<SecretArray<8>> format0_encode(std::string_view pin, std::string_view pan) {
  if (auto r = check_pin(pin); !r) return std::move(r).error();
  if (auto r = check_pan(pan); !r) return std::move(r).error();
  SecretArray<8> block;
  write_pin_nibbles(block.mutable_bytes(), kFormat0Control, pin, kFormat0Fill);
  const auto pan_field = format0_pan_field(pan);
  xor_into(block.mutable_bytes(), pan_field);
  return block;
}

Result<SecretString> format0_decode(ByteView clear_block, std::string_view pan) {
  if (clear_block.size() != 8)
    return make_error(Errc::invalid_argument, "format 0 PIN block must be 8 bytes");
  if (auto r = check_pan(pan); !r) return std::move(r).error();
  SecretArray<8> pin_field{clear_block};
  const auto pan_field = format0_pan_field(pan);
  xor_into(pin_field.mutable_bytes(), pan_field);
  return read_pin_nibbles(pin_field.reveal(), kFormat0Control, kFormat0Fill);
}

Result<SecretArray<16>> format4_pin_field(std::string_view pin, ByteView random8) {
  if (auto r = check_pin(pin); !r) return std::move(r).error();
  if (random8.size() != 8)
    return make_error(Errc::invalid_argument, "format 4 random fill must be 8 bytes");
  SecretArray<16> field;
  auto bytes = field.mutable_bytes();
  write_pin_nibbles(bytes.first<8>(), kFormat4Control, pin, kFormat4Fill);
  for (std::size_t i = 0; i < 8; ++i) bytes[8 + i] = random8[i];
  return field;
}

Result<std::array<Byte, 16>> format4_pan_field(std::string_view pan) {
  if (auto r = check_pan(pan); !r) return std::move(r).error();
  // Pan::parse guarantees 12..19 digits, so the length nibble is 0..7 and the
  // standard's left padding of PANs shorter than 12 digits never applies.
  std::array<Byte, 16> field{};
  set_nibble(field, 0, static_cast<Byte>(pan.size() - 12));
  for (std::size_t i = 0; i < pan.size(); ++i) {
    set_nibble(field, 1 + i, static_cast<Byte>(pan[i] - '0'));
  }
  return field;
}

Result<std::array<Byte, 16>> format4_encipher(ByteView aes_key, const SecretArray<16>& pin_field,
                                              std::string_view pan) {
  if (!crypto::aes_key_length_valid(aes_key.size()))
    return make_error(Errc::invalid_argument, "format 4 needs a 16, 24 or 32-byte AES key");
  auto pan_field = format4_pan_field(pan);
  if (!pan_field) return std::move(pan_field).error();
  // Intermediate block I = E_K(PIN field) XOR PAN field: still PIN-dependent, so secret.
  SecretArray<16> intermediate;
  auto i_bytes = intermediate.mutable_bytes();
  if (auto r = crypto::aes_ecb(crypto::CipherDirection::encrypt, aes_key, pin_field.reveal().first<16>(), i_bytes);
      !r)
    return std::move(r).error();
  xor_into(i_bytes, *pan_field);
  std::array<Byte, 16> enciphered{};
  if (auto r = crypto::aes_ecb(crypto::CipherDirection::encrypt, aes_key, intermediate.reveal().first<16>(),
                       enciphered);
      !r)
    return std::move(r).error();
  return enciphered;
}

Result<SecretString> format4_decipher(ByteView aes_key, ByteView enciphered, std::string_view pan) {
  if (!crypto::aes_key_length_valid(aes_key.size()))
    return make_error(Errc::invalid_argument, "format 4 needs a 16, 24 or 32-byte AES key");
  if (enciphered.size() != 16)
    return make_error(Errc::invalid_argument, "format 4 PIN block must be 16 bytes");
  auto pan_field = format4_pan_field(pan);
  if (!pan_field) return std::move(pan_field).error();
  SecretArray<16> intermediate;
  auto i_bytes = intermediate.mutable_bytes();
  if (auto r = crypto::aes_ecb(crypto::CipherDirection::decrypt, aes_key, enciphered.first<16>(), i_bytes); !r)
    return std::move(r).error();
  xor_into(i_bytes, *pan_field);
  SecretArray<16> pin_field;
  if (auto r = crypto::aes_ecb(crypto::CipherDirection::decrypt, aes_key, intermediate.reveal().first<16>(),
                       pin_field.mutable_bytes());
      !r)
    return std::move(r).error();
  return read_pin_nibbles(pin_field.reveal().first(8), kFormat4Control, kFormat4Fill);
}

Result<SecretArray<8>> format2_encode(std::string_view pin) {
  if (auto r = check_pin(pin); !r) return std::move(r).error();
  SecretArray<8> block;
  write_pin_nibbles(block.mutable_bytes(), kFormat2Control, pin, kFormat0Fill);
  return block;
}

Result<SecretString> format2_decode(ByteView clear_block) {
  if (clear_block.size() != 8) return make_error(Errc::invalid_argument, "format 2 PIN block must be 8 bytes");
  return read_pin_nibbles(clear_block, kFormat2Control, kFormat0Fill);
}

}  // namespace tender::pinpad
