#include "common/crypto/cmac.hpp"

#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>

#include <string>

namespace tender::crypto {

Result<AesCmac> aes_cmac(ByteView key, ByteView message) {
  mbedtls_cipher_type_t type = MBEDTLS_CIPHER_NONE;
  switch (key.size()) {
    case 16:
      type = MBEDTLS_CIPHER_AES_128_ECB;
      break;
    case 24:
      type = MBEDTLS_CIPHER_AES_192_ECB;
      break;
    case 32:
      type = MBEDTLS_CIPHER_AES_256_ECB;
      break;
    default:
      return make_error(Errc::invalid_argument, "AES-CMAC: the key must be 16, 24 or 32 bytes");
  }
  AesCmac tag{};
  // mbedtls_cipher_cmac() sets up, uses and frees (zeroizes) its own context.
  const int rc = mbedtls_cipher_cmac(mbedtls_cipher_info_from_type(type), key.data(), key.size() * 8,
                                     message.data(), message.size(), tag.data());
  if (rc != 0) return make_error(Errc::crypto_error, "AES-CMAC failed (mbedTLS " + std::to_string(rc) + ")");
  return tag;
}

}  // namespace tender::crypto
