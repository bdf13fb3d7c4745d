// CMAC (NIST SP 800-38B, RFC 4493 for AES-128) over AES: the MAC that AES DUKPT's
// message-authentication working keys (X9.24-3, key usage "MAC generation") are for.
// The mbedTLS cipher context lives for one call and is freed (zeroized) before it
// returns; keys never appear in error messages.
#pragma once

#include <array>

#include "common/bytes.hpp"
#include "common/crypto/block_cipher.hpp"
#include "common/result.hpp"

namespace tender::crypto {

using AesCmac = std::array<Byte, kAesBlockSize>;

// The full 16-byte tag of `message` under an AES key of 16, 24 or 32 bytes (any other
// length: Errc::invalid_argument). Truncate it where a protocol sends fewer bytes.
Result<AesCmac> aes_cmac(ByteView key, ByteView message);

}  // namespace tender::crypto
