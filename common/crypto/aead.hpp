// The one authenticated encryption of the terminal: AES-256-GCM (NIST SP 800-38D) with a
// fresh random 96-bit nonce per seal, laid out as nonce | ciphertext | tag. The journal
// seals card data with it, the key store the PIN pad's DUKPT registers.
#pragma once

#include <cstddef>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

// nonce | AES-256-GCM(key, nonce, aad, plaintext) | tag. Errc::invalid_argument for a key
// that is not 32 bytes; Errc::io_error without random bytes for the nonce.
Result<Bytes> seal(ByteView key, ByteView aad, ByteView plaintext);

// The plaintext of what seal() made under the same key and aad. Errc::crypto_error for
// anything that does not open (wrong key or aad, altered, truncated): callers cannot and
// need not tell these apart.
Result<SecretBytes> open(ByteView key, ByteView aad, ByteView sealed);

}  // namespace tender::crypto
