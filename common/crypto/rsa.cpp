#include "common/crypto/rsa.hpp"

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/rsa.h>

#include <algorithm>

#include "common/crypto/random.hpp"

namespace tender::crypto {
namespace {

// An mbedTLS RSA context for one call; mbedtls_rsa_free wipes the key.
class Rsa {
 public:
  Rsa() { mbedtls_rsa_init(&ctx_, MBEDTLS_RSA_PKCS_V15, 0); }
  ~Rsa() { mbedtls_rsa_free(&ctx_); }
  Rsa(const Rsa&) = delete;
  Rsa& operator=(const Rsa&) = delete;
  mbedtls_rsa_context* get() { return &ctx_; }

 private:
  mbedtls_rsa_context ctx_;
};

// A big number for one call; mbedtls_mpi_free wipes it.
class Mpi {
 public:
  Mpi() { mbedtls_mpi_init(&v_); }
  ~Mpi() { mbedtls_mpi_free(&v_); }
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
  mbedtls_mpi* get() { return &v_; }
  const mbedtls_mpi* get() const { return &v_; }

 private:
  mbedtls_mpi v_;
};

const unsigned char* or_null(ByteView v) { return v.empty() ? nullptr : v.data(); }

int import_private(Rsa& rsa, const RsaPrivateKeyView& key) {
  const int rc = mbedtls_rsa_import_raw(rsa.get(), or_null(key.modulus), key.modulus.size(), or_null(key.p),
                                        key.p.size(), or_null(key.q), key.q.size(), or_null(key.d), key.d.size(),
                                        or_null(key.exponent), key.exponent.size());
  return rc == 0 ? mbedtls_rsa_complete(rsa.get()) : rc;
}

Result<void> check_input(ByteView modulus, ByteView input) {
  if (input.size() != modulus.size())
    return make_error(Errc::invalid_argument, "RSA input must be as long as the modulus");
  if (!std::lexicographical_compare(input.begin(), input.end(), modulus.begin(), modulus.end()))
    return make_error(Errc::malformed, "RSA input is not below the modulus");
  return ok();
}

// Blinding for the private operation; the result does not depend on it.
int blinding_rng(void*, unsigned char* out, std::size_t size) {
  return random_bytes(std::span<Byte>{out, size}) ? 0 : MBEDTLS_ERR_RSA_RNG_FAILED;
}

bool equals(const Mpi& computed, ByteView given) {
  Mpi value;
  if (mbedtls_mpi_read_binary(value.get(), given.data(), given.size()) != 0) return false;
  return mbedtls_mpi_cmp_mpi(computed.get(), value.get()) == 0;
}

Result<Bytes> to_bytes(const Mpi& v) {
  Bytes out(mbedtls_mpi_size(v.get()));
  if (mbedtls_mpi_write_binary(v.get(), out.data(), out.size()) != 0)
    return make_error(Errc::crypto_error, "RSA key part cannot be written");
  return out;
}

Result<SecretBytes> to_secret(const Mpi& v) {
  auto bytes = to_bytes(v);
  if (!bytes) return std::move(bytes).error();
  return SecretBytes::take(*bytes);
}

}  // namespace

Result<Bytes> rsa_public(ByteView modulus, ByteView exponent, ByteView input) {
  if (auto r = check_input(modulus, input); !r) return std::move(r).error();
  Rsa rsa;
  if (mbedtls_rsa_import_raw(rsa.get(), or_null(modulus), modulus.size(), nullptr, 0, nullptr, 0, nullptr, 0,
                             or_null(exponent), exponent.size()) != 0 ||
      mbedtls_rsa_complete(rsa.get()) != 0)
    return make_error(Errc::crypto_error, "RSA public key not accepted");
  Bytes out(modulus.size());
  if (mbedtls_rsa_public(rsa.get(), input.data(), out.data()) != 0)
    return make_error(Errc::crypto_error, "RSA public operation failed");
  return out;
}

Result<Bytes> rsa_private(const RsaPrivateKeyView& key, ByteView input) {
  if (auto r = check_input(key.modulus, input); !r) return std::move(r).error();
  Rsa rsa;
  if (import_private(rsa, key) != 0) return make_error(Errc::crypto_error, "RSA key parameters are invalid");
  Bytes out(key.modulus.size());
  if (mbedtls_rsa_private(rsa.get(), blinding_rng, nullptr, input.data(), out.data()) != 0)
    return make_error(Errc::crypto_error, "RSA private operation failed");
  return out;
}

Result<void> rsa_check_private(const RsaPrivateKeyView& key) {
  Rsa rsa;
  if (import_private(rsa, key) != 0 || mbedtls_rsa_check_privkey(rsa.get()) != 0)
    return make_error(Errc::crypto_error, "RSA key parameters are inconsistent");
  Mpi dp, dq, qinv;
  if (mbedtls_rsa_export_crt(rsa.get(), dp.get(), dq.get(), qinv.get()) != 0 || !equals(dp, key.dp) ||
      !equals(dq, key.dq) || !equals(qinv, key.qinv))
    return make_error(Errc::crypto_error, "RSA CRT parameters do not match the primes");
  return ok();
}

Result<RsaKeyParts> rsa_generate(unsigned bits, int exponent, const SeedSource& seed, ByteView personalization) {
  struct Drbg {
    Drbg() { mbedtls_ctr_drbg_init(&ctx); }
    ~Drbg() { mbedtls_ctr_drbg_free(&ctx); }
    mbedtls_ctr_drbg_context ctx;
  } drbg;
  const auto entropy = [](void* state, unsigned char* out, std::size_t size) {
    return (*static_cast<const SeedSource*>(state))(std::span<Byte>{out, size}) ? 0 : -1;
  };
  Rsa rsa;
  Mpi n, p, q, d, e, dp, dq, qinv;
  if (mbedtls_ctr_drbg_seed(&drbg.ctx, entropy, const_cast<SeedSource*>(&seed), or_null(personalization),
                            personalization.size()) != 0 ||
      mbedtls_rsa_gen_key(rsa.get(), mbedtls_ctr_drbg_random, &drbg.ctx, bits, exponent) != 0 ||
      mbedtls_rsa_export(rsa.get(), n.get(), p.get(), q.get(), d.get(), e.get()) != 0 ||
      mbedtls_rsa_export_crt(rsa.get(), dp.get(), dq.get(), qinv.get()) != 0)
    return make_error(Errc::crypto_error, "RSA key generation failed");
  RsaKeyParts out;
  auto modulus = to_bytes(n);
  auto pub = to_bytes(e);
  if (!modulus || !pub) return make_error(Errc::crypto_error, "RSA key part cannot be written");
  out.modulus = std::move(*modulus);
  out.exponent = std::move(*pub);
  for (auto [from, to] : {std::pair{&d, &out.d}, std::pair{&p, &out.p}, std::pair{&q, &out.q},
                          std::pair{&dp, &out.dp}, std::pair{&dq, &out.dq}, std::pair{&qinv, &out.qinv}}) {
    auto part = to_secret(*from);
    if (!part) return std::move(part).error();
    *to = std::move(*part);
  }
  return out;
}

}  // namespace tender::crypto
