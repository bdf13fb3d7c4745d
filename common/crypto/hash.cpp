#include "common/crypto/hash.hpp"

#include <mbedtls/md.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>

#include <cstdlib>

namespace tender::crypto {

// The *_ret names are mbedTLS 2.28's; 3.x drops the suffix. They live only here.
Sha1Digest sha1(std::initializer_list<ByteView> parts) {
  Sha1Digest digest{};
  mbedtls_sha1_context ctx;
  mbedtls_sha1_init(&ctx);
  (void)mbedtls_sha1_starts_ret(&ctx);
  for (ByteView part : parts)
    if (!part.empty()) (void)mbedtls_sha1_update_ret(&ctx, part.data(), part.size());
  (void)mbedtls_sha1_finish_ret(&ctx, digest.data());
  mbedtls_sha1_free(&ctx);
  return digest;
}

Sha256Digest sha256(std::initializer_list<ByteView> parts) {
  Sha256Digest digest{};
  mbedtls_sha256_context ctx;
  mbedtls_sha256_init(&ctx);
  (void)mbedtls_sha256_starts_ret(&ctx, 0);
  for (ByteView part : parts)
    if (!part.empty()) (void)mbedtls_sha256_update_ret(&ctx, part.data(), part.size());
  (void)mbedtls_sha256_finish_ret(&ctx, digest.data());
  mbedtls_sha256_free(&ctx);
  return digest;
}

SecretArray<32> hmac_sha256(ByteView key, ByteView data) {
  SecretArray<32> out;
  const int rc = mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key.data(), key.size(), data.data(),
                                 data.size(), out.mutable_bytes().data());
  // SHA-256 is compiled into every mbedTLS; a failure is a broken build, and a zero key
  // would protect whatever it derives with a known key.
  if (rc != 0) std::abort();
  return out;
}

}  // namespace tender::crypto
