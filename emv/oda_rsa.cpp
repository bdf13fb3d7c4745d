#include "emv/oda_rsa.hpp"

#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>

namespace tender::emv {
namespace {

// Book 2 Annex A2.1 allows moduli up to 248 bytes (1984 bits).
constexpr std::size_t kMaxModulus = 248;

class RsaContext {
 public:
  RsaContext() { mbedtls_rsa_init(&ctx_, MBEDTLS_RSA_PKCS_V15, 0); }
  ~RsaContext() { mbedtls_rsa_free(&ctx_); }
  RsaContext(const RsaContext&) = delete;
  RsaContext& operator=(const RsaContext&) = delete;
  mbedtls_rsa_context* get() { return &ctx_; }

 private:
  mbedtls_rsa_context ctx_;
};

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
  RsaContext rsa;
  if (mbedtls_rsa_import_raw(rsa.get(), modulus.data(), modulus.size(), nullptr, 0, nullptr, 0,
                             nullptr, 0, exponent.data(), exponent.size()) != 0 ||
      mbedtls_rsa_complete(rsa.get()) != 0) {
    return make_error(Errc::crypto_error, "RSA public key not accepted");
  }
  Bytes out(modulus.size());
  const int rc = mbedtls_rsa_public(rsa.get(), signature.data(), out.data());
  if (rc != 0) {
    return make_error(Errc::malformed, "signed data is not below the modulus");
  }
  return out;
}

Bytes sha1(std::initializer_list<ByteView> parts) {
  mbedtls_sha1_context ctx;
  mbedtls_sha1_init(&ctx);
  mbedtls_sha1_starts_ret(&ctx);
  for (ByteView part : parts) {
    if (!part.empty()) mbedtls_sha1_update_ret(&ctx, part.data(), part.size());
  }
  Bytes digest(20);
  mbedtls_sha1_finish_ret(&ctx, digest.data());
  mbedtls_sha1_free(&ctx);
  return digest;
}

}  // namespace tender::emv
