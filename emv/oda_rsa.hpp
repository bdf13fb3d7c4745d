// The two primitives offline data authentication needs (EMV 4.4 Book 2 Annex A2, B2):
// the RSA public-key operation ("recovery") without any padding scheme, and SHA-1.
// Both over common/crypto, with the checks Book 2 puts on a recovered key (A2.1).
#pragma once

#include <initializer_list>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::emv {

// signature^exponent mod modulus, left-padded to the modulus length. The signature
// must be exactly as long as the modulus and numerically below it (Errc::malformed
// otherwise); a modulus of 0, a leading 0 byte, an even modulus or an empty exponent is
// Errc::invalid_argument. Never reads beyond its inputs whatever their lengths.
Result<Bytes> rsa_recover(ByteView modulus, ByteView exponent, ByteView signature);

// SHA-1 of the concatenation of `parts`.
Bytes sha1(std::initializer_list<ByteView> parts);

}  // namespace tender::emv
