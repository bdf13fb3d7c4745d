// RSA without padding schemes, as EMV uses it (Book 2 Annex A2.1: the recovery function
// and the signing function are the raw operations; the message formats are the caller's):
// the public operation (ODA's recovery, PIN encipherment for the card), the private
// operation (the virtual card's and the test CA's signatures), and deterministic key
// generation for test PKI tools.
#pragma once

#include <functional>
#include <span>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::crypto {

// A private key by its parts, big-endian. dp, dq and qinv are checked, never trusted.
struct RsaPrivateKeyView {
  ByteView modulus;   // n
  ByteView exponent;  // e
  ByteView d, p, q, dp, dq, qinv;
};

// input^exponent mod modulus, as long as the modulus. `input` must be as long as the
// modulus (Errc::invalid_argument) and below it (Errc::malformed); a key mbedTLS does not
// accept is Errc::crypto_error.
Result<Bytes> rsa_public(ByteView modulus, ByteView exponent, ByteView input);

// input^d mod n, with blinding from random_bytes(). The same input rules as rsa_public.
Result<Bytes> rsa_private(const RsaPrivateKeyView& key, ByteView input);

// Errc::crypto_error unless the parts form one consistent key: mbedTLS's private-key check
// and dp, dq, qinv equal to those computed from p, q and d.
Result<void> rsa_check_private(const RsaPrivateKeyView& key);

struct RsaKeyParts {
  Bytes modulus, exponent;
  SecretBytes d, p, q, dp, dq, qinv;
};

// Fills its span with seed material; false fails generation. A fixed stream makes a
// deterministic key (test PKI only: such a key is as secret as the stream).
using SeedSource = std::function<bool(std::span<Byte>)>;

// A `bits`-bit key with public exponent `exponent`, from a CTR_DRBG seeded by `seed` and
// personalised by `personalization`. Errc::crypto_error if generation fails.
Result<RsaKeyParts> rsa_generate(unsigned bits, int exponent, const SeedSource& seed, ByteView personalization);

}  // namespace tender::crypto
