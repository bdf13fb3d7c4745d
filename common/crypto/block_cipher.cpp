#include "common/crypto/block_cipher.hpp"

#include <mbedtls/aes.h>
#include <mbedtls/des.h>

namespace tender::crypto {

// mbedTLS 2.28's software DES returns 0 from every set-key and crypt call (there is
// no failure path without MBEDTLS_DES_ALT), which is why these return void.
void des_ecb(CipherDirection direction, std::span<const Byte, 8> key, DesBlock in, DesBlockOut out) {
  mbedtls_des_context ctx;
  mbedtls_des_init(&ctx);
  if (direction == CipherDirection::encrypt) {
    (void)mbedtls_des_setkey_enc(&ctx, key.data());
  } else {
    (void)mbedtls_des_setkey_dec(&ctx, key.data());
  }
  (void)mbedtls_des_crypt_ecb(&ctx, in.data(), out.data());
  mbedtls_des_free(&ctx);
}

void tdes_ecb(CipherDirection direction, std::span<const Byte, 16> key, DesBlock in,
              DesBlockOut out) {
  mbedtls_des3_context ctx;
  mbedtls_des3_init(&ctx);
  if (direction == CipherDirection::encrypt) {
    (void)mbedtls_des3_set2key_enc(&ctx, key.data());
  } else {
    (void)mbedtls_des3_set2key_dec(&ctx, key.data());
  }
  (void)mbedtls_des3_crypt_ecb(&ctx, in.data(), out.data());
  mbedtls_des3_free(&ctx);
}

Result<void> aes_ecb(CipherDirection direction, ByteView key, AesBlock in, AesBlockOut out) {
  if (!aes_key_length_valid(key.size()))
    return make_error(Errc::invalid_argument, "AES key must be 16, 24 or 32 bytes");
  mbedtls_aes_context ctx;
  mbedtls_aes_init(&ctx);
  const auto bits = static_cast<unsigned>(key.size() * 8);
  int rc = direction == CipherDirection::encrypt ? mbedtls_aes_setkey_enc(&ctx, key.data(), bits)
                                                 : mbedtls_aes_setkey_dec(&ctx, key.data(), bits);
  if (rc == 0) {
    rc = mbedtls_aes_crypt_ecb(
        &ctx, direction == CipherDirection::encrypt ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT,
        in.data(), out.data());
  }
  mbedtls_aes_free(&ctx);
  if (rc != 0) return make_error(Errc::crypto_error, "AES block operation failed");
  return ok();
}

}  // namespace tender::crypto
