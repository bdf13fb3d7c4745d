// ISO 9564-1 PIN blocks: format 0 (8 bytes, for TDES DUKPT) and format 4 (16 bytes,
// for AES). The clear PIN exists only in SecretString / SecretArray values; no error
// message ever quotes a PIN, a PAN or a block.
//
// Argument rules (shared by every function here):
//  - PIN: 4..12 decimal digits, else Errc::invalid_argument.
//  - PAN: 12..19 decimal digits (tender::Pan::parse), else Errc::invalid_argument.
//  - A block that decodes to something the format forbids (wrong control field, PIN
//    length outside 4..12, a non-digit PIN nibble, wrong fill) is Errc::malformed.
#pragma once

#include <array>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::pinpad {

inline constexpr std::size_t kPinMinLength = 4;
inline constexpr std::size_t kPinMaxLength = 12;

// --- Format 0 (ISO-0) ----------------------------------------------------------------
// PIN field: 0 N P P P P P/F ... F (16 nibbles)
// PAN field: 0000 + the rightmost 12 PAN digits excluding the check digit. A 12-digit
//            PAN has only 11 such digits: they are right-aligned and left-padded with 0.
// Clear block = PIN field XOR PAN field.
Result<SecretArray<8>> format0_encode(std::string_view pin, std::string_view pan);
// `clear_block` must be 8 bytes (Errc::invalid_argument otherwise).
Result<SecretString> format0_decode(ByteView clear_block, std::string_view pan);

// Format 2 (ISO-2), 8 bytes: 2 N P P P P P/F ... F, no PAN. The plaintext offline
// PIN block of EMV Book 3 6.5.12 (VERIFY P2 = 80 and, enciphered, P2 = 88).
Result<SecretArray<8>> format2_encode(std::string_view pin);
Result<SecretString> format2_decode(ByteView clear_block);

// --- Format 4 (ISO-4, AES) -----------------------------------------------------------
// Plain-text PIN field: 4 N PIN digits, 'A' fill to 16 nibbles, then 8 random bytes.
// `random8` must be exactly 8 bytes from a CSPRNG (see crypto::random_bytes()).
Result<SecretArray<16>> format4_pin_field(std::string_view pin, ByteView random8);
// PAN field: (PAN length - 12) as one nibble, the PAN digits, then 0 nibbles to 32.
Result<std::array<Byte, 16>> format4_pan_field(std::string_view pan);
// Enciphered block C = E_K( E_K(PIN field) XOR PAN field ), AES ECB with a 16, 24 or
// 32-byte key.
Result<std::array<Byte, 16>> format4_encipher(ByteView aes_key, const SecretArray<16>& pin_field,
                                              std::string_view pan);
// Inverse of format4_encipher: D_K( D_K(C) XOR PAN field ), then checks the control
// field (4), the PIN length, the digits and the 'A' fill. The random half is not checked.
Result<SecretString> format4_decipher(ByteView aes_key, ByteView enciphered, std::string_view pan);

}  // namespace tender::pinpad
