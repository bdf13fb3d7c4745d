#include "emv/rsa_sign.hpp"

#include <mbedtls/bignum.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>

#include <algorithm>

#include "common/pan.hpp"
#include "drivers/pinpad/block_cipher.hpp"

namespace tender::emv {
namespace {

constexpr Byte kHeader = 0x6A;
constexpr Byte kTrailer = 0xBC;
constexpr Byte kPad = 0xBB;
constexpr Byte kSha1Indicator = 0x01;
constexpr Byte kRsaIndicator = 0x01;

// Blinding randomness for mbedtls_rsa_private; the result does not depend on it.
int blinding_rng(void*, unsigned char* out, std::size_t size) {
  return pinpad::random_bytes(std::span<Byte>{out, size}) ? 0 : MBEDTLS_ERR_RSA_RNG_FAILED;
}

// An mbedTLS RSA context for one call, freed (and wiped by mbedTLS) on scope exit.
class RsaContext {
 public:
  RsaContext() { mbedtls_rsa_init(&ctx_, MBEDTLS_RSA_PKCS_V15, 0); }
  ~RsaContext() { mbedtls_rsa_free(&ctx_); }
  RsaContext(const RsaContext&) = delete;
  RsaContext& operator=(const RsaContext&) = delete;
  mbedtls_rsa_context* get() { return &ctx_; }

  int import(const RsaSigningKey& key) {
    const ByteView p = key.p.reveal(), q = key.q.reveal(), d = key.d.reveal();
    int rc = mbedtls_rsa_import_raw(&ctx_, key.modulus.data(), key.modulus.size(), p.data(), p.size(),
                                    q.data(), q.size(), d.empty() ? nullptr : d.data(), d.size(),
                                    key.exponent.data(), key.exponent.size());
    return rc == 0 ? mbedtls_rsa_complete(&ctx_) : rc;
  }

 private:
  mbedtls_rsa_context ctx_;
};

class Mpi {
 public:
  Mpi() { mbedtls_mpi_init(&v_); }
  ~Mpi() { mbedtls_mpi_free(&v_); }
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
  mbedtls_mpi* get() { return &v_; }

 private:
  mbedtls_mpi v_;
};

bool mpi_equals(mbedtls_mpi* computed, ByteView given) {
  Mpi value;
  if (mbedtls_mpi_read_binary(value.get(), given.data(), given.size()) != 0) return false;
  return mbedtls_mpi_cmp_mpi(computed, value.get()) == 0;
}

// Digits packed two a nibble, padded on the right with F to `bytes`.
Result<Bytes> pack_digits_f(std::string_view digits, std::size_t bytes) {
  if (digits.size() > bytes * 2) return make_error(Errc::invalid_argument, "identifier too long");
  Bytes out(bytes, 0xFF);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] < '0' || digits[i] > '9')
      return make_error(Errc::invalid_argument, "identifier must be decimal digits");
    const Byte nibble = static_cast<Byte>(digits[i] - '0');
    Byte& b = out[i / 2];
    b = (i % 2 == 0) ? static_cast<Byte>((nibble << 4) | 0x0F) : static_cast<Byte>((b & 0xF0) | nibble);
  }
  return out;
}

void append(Bytes& out, ByteView part) { out.insert(out.end(), part.begin(), part.end()); }

// 6A | body | SHA-1(body | hashed_tail) | BC, then the private operation.
Result<Bytes> sign_record(const RsaSigningKey& key, const Bytes& body, ByteView hashed_tail) {
  Bytes hashed = body;
  append(hashed, hashed_tail);
  const Sha1Digest hash = sha1_digest(hashed);
  Bytes record;
  record.reserve(key.modulus.size());
  record.push_back(kHeader);
  append(record, body);
  append(record, hash);
  record.push_back(kTrailer);
  if (record.size() != key.modulus.size())
    return make_error(Errc::invalid_argument, "record does not fill the signing key's modulus");
  return rsa_private(key, record);
}

bool exponent_valid(ByteView e) { return e.size() == 1 || e.size() == 3; }

// The certificate body shared by formats 02 and 04: format, identifier, expiry,
// serial, indicators, key length, exponent length, key field (padded with BB).
Result<PublicKeyCertificate> sign_certificate(const RsaSigningKey& signer, const pinpad::RsaPublicKey& subject,
                                              Byte format, ByteView identifier,
                                              const CertificateFields& fields, std::size_t overhead,
                                              ByteView static_data) {
  if (!exponent_valid(subject.exponent) || subject.modulus.empty() || subject.modulus.size() > 255)
    return make_error(Errc::invalid_argument, "certified key has an invalid modulus or exponent length");
  if (signer.modulus.size() <= overhead || subject.modulus.size() > signer.modulus.size())
    return make_error(Errc::invalid_argument, "certified key is longer than the signing key");
  const std::size_t field = signer.modulus.size() - overhead;
  const std::size_t in_field = std::min(field, subject.modulus.size());

  PublicKeyCertificate cert;
  cert.remainder.assign(subject.modulus.begin() + static_cast<std::ptrdiff_t>(in_field), subject.modulus.end());
  cert.exponent = subject.exponent;

  Bytes body{format};
  append(body, identifier);
  append(body, fields.expiry_mmyy);
  append(body, fields.serial);
  body.push_back(kSha1Indicator);
  body.push_back(kRsaIndicator);
  body.push_back(static_cast<Byte>(subject.modulus.size()));
  body.push_back(static_cast<Byte>(subject.exponent.size()));
  body.insert(body.end(), subject.modulus.begin(), subject.modulus.begin() + static_cast<std::ptrdiff_t>(in_field));
  body.resize(body.size() + (field - in_field), kPad);

  Bytes tail = cert.remainder;
  append(tail, cert.exponent);
  append(tail, static_data);
  auto signature = sign_record(signer, body, tail);
  if (!signature) return std::move(signature).error();
  cert.certificate = std::move(*signature);
  return cert;
}

}  // namespace

Sha1Digest sha1_digest(ByteView data) {
  Sha1Digest out{};
  mbedtls_sha1_ret(data.data(), data.size(), out.data());  // cannot fail in software
  return out;
}

Result<void> check_signing_key(const RsaSigningKey& key) {
  RsaContext rsa;
  if (rsa.import(key) != 0 || mbedtls_rsa_check_privkey(rsa.get()) != 0)
    return make_error(Errc::crypto_error, "RSA key parameters are inconsistent");
  Mpi dp, dq, qp;
  if (mbedtls_rsa_export_crt(rsa.get(), dp.get(), dq.get(), qp.get()) != 0 ||
      !mpi_equals(dp.get(), key.dp.reveal()) || !mpi_equals(dq.get(), key.dq.reveal()) ||
      !mpi_equals(qp.get(), key.qinv.reveal()))
    return make_error(Errc::crypto_error, "RSA CRT parameters do not match the primes");
  return ok();
}

Result<Bytes> rsa_private(const RsaSigningKey& key, ByteView input) {
  if (input.size() != key.modulus.size())
    return make_error(Errc::invalid_argument, "RSA input must be as long as the modulus");
  if (!std::lexicographical_compare(input.begin(), input.end(), key.modulus.begin(), key.modulus.end()))
    return make_error(Errc::invalid_argument, "RSA input must be below the modulus");
  RsaContext rsa;
  if (rsa.import(key) != 0) return make_error(Errc::crypto_error, "RSA key parameters are invalid");
  Bytes out(key.modulus.size());
  if (mbedtls_rsa_private(rsa.get(), blinding_rng, nullptr, input.data(), out.data()) != 0)
    return make_error(Errc::crypto_error, "RSA private operation failed");
  return out;
}

Result<PublicKeyCertificate> sign_issuer_certificate(const RsaSigningKey& ca_key,
                                                     const pinpad::RsaPublicKey& issuer_key,
                                                     const CertificateFields& fields) {
  const std::size_t n = fields.identifier_digits.size();
  if (n < 3 || n > 8) return make_error(Errc::invalid_argument, "issuer identifier must be 3..8 digits");
  auto identifier = pack_digits_f(fields.identifier_digits, 4);
  if (!identifier) return std::move(identifier).error();
  return sign_certificate(ca_key, issuer_key, 0x02, *identifier, fields, 36, {});
}

Result<PublicKeyCertificate> sign_icc_certificate(const RsaSigningKey& issuer_key,
                                                  const pinpad::RsaPublicKey& icc_key,
                                                  const CertificateFields& fields,
                                                  ByteView static_data) {
  if (!Pan::parse(fields.identifier_digits))
    return make_error(Errc::invalid_argument, "application PAN must be 12..19 digits");
  auto pan = pack_digits_f(fields.identifier_digits, 10);
  if (!pan) return std::move(pan).error();
  return sign_certificate(issuer_key, icc_key, 0x04, *pan, fields, 42, static_data);
}

Result<Bytes> sign_static_application_data(const RsaSigningKey& issuer_key,
                                           std::span<const Byte, 2> data_authentication_code,
                                           ByteView static_data) {
  if (issuer_key.modulus.size() < 26) return make_error(Errc::invalid_argument, "issuer key too short");
  Bytes body{0x03, kSha1Indicator, data_authentication_code[0], data_authentication_code[1]};
  body.resize(body.size() + issuer_key.modulus.size() - 26, kPad);
  return sign_record(issuer_key, body, static_data);
}

Result<Bytes> sign_dynamic_application_data(const RsaSigningKey& icc_key,
                                            ByteView icc_dynamic_data,
                                            ByteView terminal_dynamic_data) {
  if (icc_key.modulus.size() < 25 || icc_dynamic_data.size() > icc_key.modulus.size() - 25)
    return make_error(Errc::invalid_argument, "ICC dynamic data too long for the ICC key");
  Bytes body{0x05, kSha1Indicator, static_cast<Byte>(icc_dynamic_data.size())};
  append(body, icc_dynamic_data);
  body.resize(body.size() + icc_key.modulus.size() - icc_dynamic_data.size() - 25, kPad);
  return sign_record(icc_key, body, terminal_dynamic_data);
}

Result<Bytes> dda_icc_dynamic_data(ByteView icc_dynamic_number) {
  if (icc_dynamic_number.size() < 2 || icc_dynamic_number.size() > 8)
    return make_error(Errc::invalid_argument, "ICC dynamic number must be 2..8 bytes");
  Bytes out{static_cast<Byte>(icc_dynamic_number.size())};
  append(out, icc_dynamic_number);
  return out;
}

Result<Bytes> cda_icc_dynamic_data(ByteView icc_dynamic_number, Byte cid,
                                   std::span<const Byte, 8> application_cryptogram,
                                   const Sha1Digest& transaction_data_hash) {
  auto out = dda_icc_dynamic_data(icc_dynamic_number);
  if (!out) return out;
  out->push_back(cid);
  append(*out, application_cryptogram);
  append(*out, transaction_data_hash);
  return out;
}

Sha1Digest capk_checksum(ByteView rid, Byte index, ByteView modulus, ByteView exponent) {
  Bytes data(rid.begin(), rid.end());
  data.push_back(index);
  append(data, modulus);
  append(data, exponent);
  return sha1_digest(data);
}

}  // namespace tender::emv
