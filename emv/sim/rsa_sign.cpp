#include "emv/sim/rsa_sign.hpp"

#include <algorithm>

#include "common/pan.hpp"
#include "common/crypto/hash.hpp"
#include "common/crypto/rsa.hpp"

namespace tender::emv {
namespace {

constexpr Byte kHeader = 0x6A;
constexpr Byte kTrailer = 0xBC;
constexpr Byte kPad = 0xBB;
constexpr Byte kSha1Indicator = 0x01;
constexpr Byte kRsaIndicator = 0x01;

crypto::RsaPrivateKeyView view(const RsaSigningKey& key) {
  return {key.modulus, key.exponent, key.d.reveal(), key.p.reveal(), key.q.reveal(),
          key.dp.reveal(), key.dq.reveal(), key.qinv.reveal()};
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

Sha1Digest sha1_digest(ByteView data) { return crypto::sha1({data}); }

Result<void> check_signing_key(const RsaSigningKey& key) { return crypto::rsa_check_private(view(key)); }

Result<Bytes> rsa_private(const RsaSigningKey& key, ByteView input) {
  auto out = crypto::rsa_private(view(key), input);
  // This function's contract: any input it cannot sign is the caller's mistake.
  if (!out && out.error().code == Errc::malformed) return make_error(Errc::invalid_argument, out.error().message);
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
