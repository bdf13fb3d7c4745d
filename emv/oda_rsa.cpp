#include "emv/oda_rsa.hpp"

#include <string>

#include "common/crypto/hash.hpp"
#include "common/crypto/rsa.hpp"

namespace tender::emv {
namespace {

// Book 2 Annex A2.1 allows moduli up to 248 bytes (1984 bits).
constexpr std::size_t kMaxModulus = 248;

}  // namespace

Result<Bytes> rsa_recover(ByteView modulus, ByteView exponent, ByteView signature) {
  if (modulus.empty() || modulus.size() > kMaxModulus || modulus.front() == 0 ||
      (modulus.back() & 1) == 0) {
    return make_error(Errc::invalid_argument, "RSA modulus is empty, too long, or not odd");
  }
  if (exponent.empty() || exponent.size() > 4) {
    return make_error(Errc::invalid_argument, "RSA exponent is empty or over 4 bytes");
  }
  if (signature.size() != modulus.size()) {
    return make_error(Errc::malformed, "signed data is " + std::to_string(signature.size()) +
                                           " bytes; the key's modulus is " +
                                           std::to_string(modulus.size()));
  }
  auto out = crypto::rsa_public(modulus, exponent, signature);
  if (!out && out.error().code == Errc::malformed)
    return make_error(Errc::malformed, "signed data is not below the modulus");
  return out;
}

Bytes sha1(std::initializer_list<ByteView> parts) {
  // One list forwarded as it is: crypto::sha1 takes the same parts.
  const crypto::Sha1Digest digest = crypto::sha1(parts);
  return Bytes(digest.begin(), digest.end());
}

}  // namespace tender::emv
