// Single-block ECB primitives: DES, two-key triple DES and AES, over mbedTLS 2.28. DUKPT
// (X9.24-1 and X9.24-3), ISO 9564 PIN blocks and the EMV session keys and MACs need
// nothing more than one block at a time, so there is no mode of operation here on purpose.
//
// Every mbedTLS context lives on the stack for one call and is wiped by its *_free
// (mbedTLS zeroizes the key schedule there). Keys never appear in error messages.
// `in` and `out` may be the same buffer.
#pragma once

#include <cstddef>
#include <span>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::crypto {

inline constexpr std::size_t kDesBlockSize = 8;
inline constexpr std::size_t kAesBlockSize = 16;

enum class CipherDirection { encrypt, decrypt };

using DesBlock = std::span<const Byte, kDesBlockSize>;
using DesBlockOut = std::span<Byte, kDesBlockSize>;
using AesBlock = std::span<const Byte, kAesBlockSize>;
using AesBlockOut = std::span<Byte, kAesBlockSize>;

// DES (FIPS 46-3), one block. The parity bit of each key byte is ignored, as DES
// itself ignores it: DUKPT keys are not parity-adjusted and must not be.
// Fixed-size keys make these infallible (mbedTLS software DES cannot fail).
void des_ecb(CipherDirection direction, std::span<const Byte, 8> key, DesBlock in, DesBlockOut out);

// Two-key triple DES (TDEA keying option 2: K1 K2 K1), one block, 16-byte key.
void tdes_ecb(CipherDirection direction, std::span<const Byte, 16> key, DesBlock in,
              DesBlockOut out);

// AES (FIPS 197), one block. The key must be 16, 24 or 32 bytes, else
// Errc::invalid_argument.
Result<void> aes_ecb(CipherDirection direction, ByteView key, AesBlock in, AesBlockOut out);

// True for the AES key lengths 16, 24 and 32.
constexpr bool aes_key_length_valid(std::size_t length) noexcept {
  return length == 16 || length == 24 || length == 32;
}

}  // namespace tender::crypto
