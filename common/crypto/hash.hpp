// SHA-1 (FIPS 180-4; what EMV Book 2 ODA and CAPK checksums use), SHA-256 and
// HMAC-SHA-256 (RFC 2104) for key derivation. Software hashes cannot fail in mbedTLS
// 2.28, so these return values, not Results.
#pragma once

#include <array>
#include <initializer_list>

#include "common/bytes.hpp"
#include "common/secret.hpp"

namespace tender::crypto {

using Sha1Digest = std::array<Byte, 20>;
using Sha256Digest = std::array<Byte, 32>;

// The digest of the concatenation of `parts`.
Sha1Digest sha1(std::initializer_list<ByteView> parts);
Sha256Digest sha256(std::initializer_list<ByteView> parts);

// A key derived with HMAC-SHA-256 is itself a key: it wipes itself.
SecretArray<32> hmac_sha256(ByteView key, ByteView data);

}  // namespace tender::crypto
