#include "common/crypto/aead.hpp"

#include <mbedtls/gcm.h>

#include <span>

#include "common/crypto/random.hpp"

namespace tender::crypto {
namespace {

// An mbedTLS GCM context for one call; mbedtls_gcm_free wipes the key schedule.
class Gcm {
 public:
  Gcm() { mbedtls_gcm_init(&ctx_); }
  ~Gcm() { mbedtls_gcm_free(&ctx_); }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;
  int set_key(ByteView key) { return mbedtls_gcm_setkey(&ctx_, MBEDTLS_CIPHER_ID_AES, key.data(), 256); }
  mbedtls_gcm_context* get() { return &ctx_; }

 private:
  mbedtls_gcm_context ctx_;
};

}  // namespace

Result<Bytes> seal(ByteView key, ByteView aad, ByteView plaintext) {
  if (key.size() != kAeadKeySize) return make_error(Errc::invalid_argument, "AEAD key must be 32 bytes");
  Bytes out(kAeadOverhead + plaintext.size());
  const std::span<Byte> body{out};
  const auto nonce = body.first(kAeadNonceSize);
  const auto ciphertext = body.subspan(kAeadNonceSize, plaintext.size());
  const auto tag = body.last(kAeadTagSize);
  if (auto r = random_bytes(nonce); !r) return std::move(r).error();
  Gcm gcm;
  int rc = gcm.set_key(key);
  if (rc == 0)
    rc = mbedtls_gcm_crypt_and_tag(gcm.get(), MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(), nonce.size(),
                                   aad.data(), aad.size(), plaintext.data(), ciphertext.data(), tag.size(), tag.data());
  if (rc != 0) return make_error(Errc::crypto_error, "AES-GCM sealing failed");
  return out;
}

Result<SecretBytes> open(ByteView key, ByteView aad, ByteView sealed) {
  if (key.size() != kAeadKeySize) return make_error(Errc::invalid_argument, "AEAD key must be 32 bytes");
  if (sealed.size() < kAeadOverhead) return make_error(Errc::crypto_error, "sealed data is too short to open");
  const std::size_t length = sealed.size() - kAeadOverhead;
  const auto nonce = sealed.first(kAeadNonceSize);
  const auto ciphertext = sealed.subspan(kAeadNonceSize, length);
  const auto tag = sealed.last(kAeadTagSize);
  SecretBytes plain(length);
  Gcm gcm;
  int rc = gcm.set_key(key);
  if (rc == 0)
    rc = mbedtls_gcm_auth_decrypt(gcm.get(), length, nonce.data(), nonce.size(), aad.data(), aad.size(), tag.data(),
                                  tag.size(), ciphertext.data(), plain.mutable_bytes().data());
  if (rc != 0) {
    plain.clear();
    return make_error(Errc::crypto_error, "sealed data does not open");
  }
  return plain;
}

}  // namespace tender::crypto
