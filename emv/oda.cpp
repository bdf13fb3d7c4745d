#include "emv/oda.hpp"

#include <algorithm>
#include <string>

#include "common/log.hpp"
#include "emv/dol.hpp"
#include "emv/oda_rsa.hpp"

namespace tender::emv {
namespace {

constexpr Byte kHeader = 0x6A;   // Recovered Data Header
constexpr Byte kTrailer = 0xBC;  // Recovered Data Trailer
constexpr Byte kSha1 = 0x01;     // Hash Algorithm Indicator (Book 2 Annex B2.1)
constexpr Byte kRsa = 0x01;      // Public Key Algorithm Indicator (Book 2 Annex B2.2)
constexpr std::size_t kHash = 20;

// Certificate formats (Book 2 Tables 7, 13, 14, 17).
constexpr Byte kIssuerCertificateFormat = 0x02;
constexpr Byte kSignedStaticDataFormat = 0x03;
constexpr Byte kIccCertificateFormat = 0x04;
constexpr Byte kSignedDynamicDataFormat = 0x05;

// Errc::not_found is reserved for "the card lacks the data" (TVR: ICC data missing).
Error failed(std::string what) { return make_error(Errc::crypto_error, std::move(what)); }
Error missing(std::string what) { return make_error(Errc::not_found, std::move(what)); }

// Recovers a Book 2 record and checks what all of them share: as long as the key, header
// '6A', the expected format, trailer 'BC', and at least `minimum` bytes.
Result<Bytes> recover_record(const RsaPublicKey& key, ByteView signed_data, Byte format,
                             std::size_t minimum, std::string_view what) {
  const std::string label(what);
  if (key.modulus.size() < minimum) return failed(label + ": key too short for the format");
  if (signed_data.size() != key.modulus.size()) {
    return failed(label + " length differs from the key's modulus");
  }
  auto recovered = rsa_recover(key.modulus, key.exponent, signed_data);
  if (!recovered) return failed(label + ": " + recovered.error().message);
  const Bytes& r = *recovered;
  if (r.front() != kHeader) return failed(label + ": recovered data header is not 6A");
  if (r.back() != kTrailer) return failed(label + ": recovered data trailer is not BC");
  if (r[1] != format) return failed(label + ": wrong format");
  return recovered;
}

// The hash field of a record (the 20 bytes before the trailer) against SHA-1 of the record
// from its format byte up to the hash, followed by `a`, `b`, `c`.
bool hash_matches(ByteView record, ByteView a = {}, ByteView b = {}, ByteView c = {}) {
  const ByteView body = record.subspan(1, record.size() - kHash - 2);
  const ByteView hash = record.subspan(record.size() - kHash - 1, kHash);
  return std::ranges::equal(sha1({body, a, b, c}), hash);
}

Result<void> check_expiry(ByteView mmyy, const Date& today, std::string_view what) {
  const auto expiry = parse_mmyy_end_of_month(mmyy);
  if (!expiry) return failed(std::string(what) + ": expiration date is not a valid MMYY");
  if (*expiry < today) return failed(std::string(what) + " has expired");
  return ok();
}

// The public key a certificate carries: the leftmost digits in the certificate, then the
// remainder when the key did not fit (Book 2 5.3 step 11, 6.4 step 10).
Result<RsaPublicKey> assemble_key(ByteView leftmost, std::size_t key_length,
                                  std::size_t exponent_length, ByteView remainder,
                                  ByteView exponent, std::string_view what) {
  const std::string label(what);
  if (key_length == 0) return failed(label + ": public key length is 0");
  if (exponent.size() != exponent_length) return failed(label + ": exponent length mismatch");
  RsaPublicKey key;
  if (key_length <= leftmost.size()) {
    key.modulus.assign(leftmost.begin(), leftmost.begin() + static_cast<std::ptrdiff_t>(key_length));
  } else {
    if (remainder.empty()) return missing(label + ": public key remainder missing");
    if (remainder.size() != key_length - leftmost.size()) {
      return failed(label + ": public key remainder has the wrong length");
    }
    key.modulus.assign(leftmost.begin(), leftmost.end());
    key.modulus.insert(key.modulus.end(), remainder.begin(), remainder.end());
  }
  key.exponent.assign(exponent.begin(), exponent.end());
  return key;
}

std::optional<Date> transaction_date(const Context& ctx) { return parse_yymmdd(ctx.txn.date); }

// The RID of the selected application: the leftmost 5 bytes of its AID.
Bytes selected_rid(const Context& ctx) {
  for (const Tag tag : {Tag{0x4F}, Tag{0x84}, Tag{0x9F06}}) {
    if (auto aid = ctx.lookup(tag); aid && aid->size() >= 5) return Bytes(aid->begin(), aid->begin() + 5);
  }
  return {};
}

ByteView value_or_empty(const Context& ctx, Tag tag) { return ctx.icc.get(tag).value_or(ByteView{}); }

}  // namespace

namespace {

// Book 2 Tables 13 and 14 share one layout: header | format | identifier | expiry (2) |
// serial (3) | hash algorithm | key algorithm | key length | exponent length | key or its
// leftmost digits | hash (20) | trailer. Only the identifier differs.
struct CertificateLayout {
  Byte format;
  std::size_t identifier_length;  // Issuer Identifier 4, Application PAN 10
  std::string_view name;
};
constexpr CertificateLayout kIssuerCertificate{kIssuerCertificateFormat, 4, "issuer public key"};
constexpr CertificateLayout kIccCertificate{kIccCertificateFormat, 10, "ICC public key"};

using IdentifierCheck = bool (*)(const SecretString& certified, const SecretString& pan);

Result<RsaPublicKey> recover_certified_key(const CertificateLayout& layout, const RsaPublicKey& signer,
                                           ByteView certificate, ByteView remainder, ByteView exponent,
                                           ByteView hashed_tail, ByteView pan,
                                           IdentifierCheck identifier_matches, const Date& today) {
  const std::string what(layout.name);
  const std::size_t fixed = 32 + layout.identifier_length;  // every byte but the key's
  auto recovered = recover_record(signer, certificate, layout.format, fixed, what + " certificate");
  if (!recovered) return std::move(recovered).error();
  const ByteView r{*recovered};
  const std::size_t n = r.size();
  const std::size_t at = 2 + layout.identifier_length;
  const std::size_t key_length = r[at + 7];
  if (key_length > n - fixed && remainder.empty()) return missing(what + " remainder missing");
  if (!hash_matches(r, remainder, exponent, hashed_tail)) return failed(what + " certificate hash mismatch");
  const auto certified = decode_cn(r.subspan(2, layout.identifier_length));
  const auto card_pan = decode_cn(pan);
  if (!certified || !card_pan || !identifier_matches(*certified, *card_pan)) {
    return failed(what + " certificate identifier does not match the PAN");
  }
  if (auto e = check_expiry(r.subspan(at, 2), today, what + " certificate"); !e) return e.error();
  if (r[at + 5] != kSha1) return failed(what + " certificate: unknown hash algorithm");
  if (r[at + 6] != kRsa) return failed(what + " algorithm not recognised");
  if (key_length > n) return failed(what + " longer than the key that certified it");
  return assemble_key(r.subspan(at + 9, n - fixed), key_length, r[at + 8], remainder, exponent, what);
}

// Book 2 5.3 step 8: the leftmost 3..8 PAN digits.
bool issuer_identifier_matches(const SecretString& identifier, const SecretString& pan) {
  return identifier.size() >= 3 && pan.reveal().starts_with(identifier.reveal());
}

// Book 2 6.4 step 8: the whole PAN.
bool application_pan_matches(const SecretString& certified, const SecretString& pan) {
  return !certified.empty() && certified == pan;
}

}  // namespace

Result<RsaPublicKey> recover_issuer_public_key(const Capk& ca_key, ByteView certificate,
                                               ByteView remainder, ByteView exponent, ByteView pan,
                                               const Date& today) {
  return recover_certified_key(kIssuerCertificate, RsaPublicKey{ca_key.modulus, ca_key.exponent},
                               certificate, remainder, exponent, {}, pan, issuer_identifier_matches,
                               today);
}

Result<RsaPublicKey> recover_icc_public_key(const RsaPublicKey& issuer_key, ByteView certificate,
                                            ByteView remainder, ByteView exponent, ByteView pan,
                                            ByteView static_data, const Date& today) {
  return recover_certified_key(kIccCertificate, issuer_key, certificate, remainder, exponent,
                               static_data, pan, application_pan_matches, today);
}

Result<Bytes> verify_signed_static_application_data(const RsaPublicKey& issuer_key,
                                                    ByteView signed_data, ByteView static_data) {
  auto recovered = recover_record(issuer_key, signed_data, kSignedStaticDataFormat, 26,
                                  "signed static application data");
  if (!recovered) return std::move(recovered).error();
  const ByteView r{*recovered};
  if (r[2] != kSha1) return failed("signed static application data: unknown hash algorithm");
  if (!hash_matches(r, static_data)) return failed("signed static application data hash mismatch");
  return Bytes(r.begin() + 3, r.begin() + 5);
}

namespace {

// Book 2 Table 17: header, format 05, hash algorithm, Ldd, ICC Dynamic Data, pad, hash,
// trailer. Returns the recovered record and the ICC Dynamic Data inside it.
struct DynamicRecord {
  Bytes record;
  ByteView dynamic_data;
};

Result<DynamicRecord> recover_dynamic_record(const RsaPublicKey& icc_key, ByteView signed_data,
                                             ByteView hashed_with) {
  auto recovered = recover_record(icc_key, signed_data, kSignedDynamicDataFormat, 25,
                                  "signed dynamic application data");
  if (!recovered) return std::move(recovered).error();
  DynamicRecord out{std::move(*recovered), {}};
  const ByteView r{out.record};
  if (r[2] != kSha1) return failed("signed dynamic application data: unknown hash algorithm");
  const std::size_t ldd = r[3];
  if (ldd > r.size() - 25) return failed("ICC dynamic data length runs past the record");
  if (!hash_matches(r, hashed_with)) return failed("signed dynamic application data hash mismatch");
  out.dynamic_data = r.subspan(4, ldd);
  return out;
}

// The ICC Dynamic Number at the start of the ICC Dynamic Data (Book 2 Table 19).
Result<ByteView> icc_dynamic_number(ByteView dynamic_data) {
  if (dynamic_data.empty()) return failed("ICC dynamic data is empty");
  const std::size_t length = dynamic_data[0];
  if (length < 2 || length > 8 || length + 1 > dynamic_data.size()) {
    return failed("ICC dynamic number length is not 2..8 or runs past the data");
  }
  return dynamic_data.subspan(1, length);
}

}  // namespace

Result<Bytes> verify_signed_dynamic_application_data(const RsaPublicKey& icc_key,
                                                     ByteView signed_data, ByteView ddol_data) {
  auto record = recover_dynamic_record(icc_key, signed_data, ddol_data);
  if (!record) return std::move(record).error();
  auto number = icc_dynamic_number(record->dynamic_data);
  if (!number) return std::move(number).error();
  return Bytes(number->begin(), number->end());
}

Result<CdaDynamicData> verify_cda_signature(const RsaPublicKey& icc_key, ByteView signed_data,
                                            ByteView unpredictable_number, Byte cid,
                                            ByteView transaction_data) {
  auto record = recover_dynamic_record(icc_key, signed_data, unpredictable_number);
  if (!record) return std::move(record).error();
  auto number = icc_dynamic_number(record->dynamic_data);
  if (!number) return std::move(number).error();
  // Table 18: number length | number | CID | AC (8) | Transaction Data Hash Code (20).
  const ByteView data = record->dynamic_data;
  const std::size_t at = 1 + number->size();
  if (data.size() < at + 1 + 8 + kHash) return failed("CDA dynamic data too short");
  if (data[at] != cid) return failed("CDA: CID in the signature differs from the response's");
  const ByteView hash_code = data.subspan(at + 9, kHash);
  if (!std::ranges::equal(sha1({transaction_data}), hash_code)) {
    return failed("CDA: transaction data hash code mismatch");
  }
  CdaDynamicData out;
  out.icc_dynamic_number.assign(number->begin(), number->end());
  out.cid = data[at];
  out.application_cryptogram.assign(data.begin() + static_cast<std::ptrdiff_t>(at + 1),
                                    data.begin() + static_cast<std::ptrdiff_t>(at + 9));
  return out;
}

Result<Bytes> static_data_to_be_authenticated(const Context& ctx) {
  if (ctx.static_data_invalid) return failed("a record for ODA was not a '70' template");
  Bytes out = ctx.static_data;
  if (auto tag_list = ctx.icc.get(0x9F4A)) {
    // Book 3 10.3: the SDA Tag List may only hold '82'.
    const Byte aip_only[1] = {0x82};
    if (!std::ranges::equal(*tag_list, aip_only)) return failed("SDA tag list names other than 82");
    const auto aip = ctx.icc.get(0x82);
    if (!aip) return missing("AIP missing for the SDA tag list");
    out.insert(out.end(), aip->begin(), aip->end());
  }
  return out;
}

OdaMethod select_oda_method(const Context& ctx) {
  const Aip aip = ctx.aip();
  if (aip.test(AipBit::cda_supported) && has(ctx.config, TerminalCapability::cda)) return OdaMethod::cda;
  if (aip.test(AipBit::dda_supported) && has(ctx.config, TerminalCapability::dda)) return OdaMethod::dda;
  if (aip.test(AipBit::sda_supported) && has(ctx.config, TerminalCapability::sda)) return OdaMethod::sda;
  return OdaMethod::none;
}

Result<RsaPublicKey> retrieve_issuer_public_key(Context& ctx) {
  if (ctx.issuer_public_key) return *ctx.issuer_public_key;
  const auto index = ctx.icc.get(0x8F);
  const auto certificate = ctx.icc.get(0x90);
  const auto exponent = ctx.icc.get(0x9F32);
  const auto pan = ctx.icc.get(0x5A);
  if (!index || index->size() != 1 || !certificate || !exponent || !pan) {
    return missing("8F, 90, 9F32 or 5A missing");
  }
  const auto today = transaction_date(ctx);
  if (!today) return failed("transaction date is not a valid YYMMDD");
  const Capk* ca = find_capk(ctx.config.capks, selected_rid(ctx), (*index)[0], ctx.txn.date);
  if (ca == nullptr) return make_error(Errc::unsupported, "no CA public key for this RID and index");
  auto key = recover_issuer_public_key(*ca, *certificate, value_or_empty(ctx, 0x92), *exponent,
                                       *pan, *today);
  if (key) ctx.issuer_public_key = *key;
  return key;
}

Result<RsaPublicKey> retrieve_icc_public_key(Context& ctx) {
  if (ctx.icc_public_key) return *ctx.icc_public_key;
  auto issuer = retrieve_issuer_public_key(ctx);
  if (!issuer) return std::move(issuer).error();
  const auto certificate = ctx.icc.get(0x9F46);
  const auto exponent = ctx.icc.get(0x9F47);
  if (!certificate || !exponent) return missing("9F46 or 9F47 missing");
  auto static_data = static_data_to_be_authenticated(ctx);
  if (!static_data) return std::move(static_data).error();
  auto key = recover_icc_public_key(*issuer, *certificate, value_or_empty(ctx, 0x9F48), *exponent,
                                    *ctx.icc.get(0x5A), *static_data, *transaction_date(ctx));
  if (key) ctx.icc_public_key = *key;
  return key;
}

Result<RsaPublicKey> retrieve_icc_pin_encipherment_key(Context& ctx) {
  const auto certificate = ctx.icc.get(0x9F2D);
  if (!certificate) return retrieve_icc_public_key(ctx);
  auto issuer = retrieve_issuer_public_key(ctx);
  if (!issuer) return std::move(issuer).error();
  const auto exponent = ctx.icc.get(0x9F2E);
  if (!exponent) return missing("9F2E missing");
  return recover_icc_public_key(*issuer, *certificate, value_or_empty(ctx, 0x9F2F), *exponent,
                                *ctx.icc.get(0x5A), {}, *transaction_date(ctx));
}

namespace {

Result<void> perform_sda(Context& ctx) {
  auto issuer = retrieve_issuer_public_key(ctx);
  if (!issuer) return std::move(issuer).error();
  const auto signed_data = ctx.icc.get(0x93);
  if (!signed_data) return missing("93 missing");
  auto static_data = static_data_to_be_authenticated(ctx);
  if (!static_data) return std::move(static_data).error();
  auto dac = verify_signed_static_application_data(*issuer, *signed_data, *static_data);
  if (!dac) return std::move(dac).error();
  ctx.icc.set(0x9F45, *dac);
  return ok();
}

// Book 2 6.5.1: the card's DDOL, else the terminal's default; either must ask for 9F37.
Result<Bytes> ddol_data(const Context& ctx) {
  const auto card_ddol = ctx.icc.get(0x9F49);
  ByteView ddol = card_ddol ? *card_ddol : ByteView{};
  if (!card_ddol && ctx.aid != nullptr) ddol = ctx.aid->default_ddol;
  if (ddol.empty()) return missing("no DDOL in the card and no default DDOL");
  auto entries = parse_dol(ddol);
  if (!entries) return failed("DDOL: " + entries.error().message);
  if (std::ranges::none_of(*entries, [](const DolEntry& e) { return e.tag == 0x9F37; })) {
    return failed("DDOL does not include the unpredictable number");
  }
  const std::size_t length = dol_data_length(*entries);
  if (length == 0 || length > 255) return failed("DDOL data is not 1..255 bytes");
  return build_dol_data(*entries, ctx.dol_lookup());
}

// Result error: transport failure. Value: the method's outcome.
Result<Result<void>> perform_dda(Context& ctx, Ttl& ttl) {
  auto key = retrieve_icc_public_key(ctx);
  if (!key) return Result<void>{std::move(key).error()};
  auto data = ddol_data(ctx);
  if (!data) return Result<void>{std::move(data).error()};
  auto response = internal_authenticate(ttl, *data);
  if (!response) return std::move(response).error();
  if (!response->ok()) return Result<void>{failed("INTERNAL AUTHENTICATE returned " + icc::sw_to_hex(response->sw))};
  auto signed_data = parse_internal_authenticate_response(response->data);
  if (!signed_data) return Result<void>{failed(signed_data.error().message)};
  auto number = verify_signed_dynamic_application_data(*key, *signed_data, *data);
  if (!number) return Result<void>{std::move(number).error()};
  ctx.icc.set(0x9F4C, *number);
  return Result<void>{};
}

struct MethodBits {
  OdaMethod method;
  TvrBit failed;
};

constexpr MethodBits kMethodBits[] = {
    {OdaMethod::sda, TvrBit::sda_failed},
    {OdaMethod::dda, TvrBit::dda_failed},
    {OdaMethod::cda, TvrBit::cda_failed},
};

}  // namespace

Result<void> offline_data_authentication(Context& ctx, Ttl& ttl) {
  ctx.oda = select_oda_method(ctx);
  Result<void> outcome;
  switch (ctx.oda) {
    case OdaMethod::none:
      ctx.tvr.set(TvrBit::offline_data_authentication_not_performed);
      return ok();
    case OdaMethod::sda:
      ctx.tvr.set(TvrBit::sda_selected);
      outcome = perform_sda(ctx);
      break;
    case OdaMethod::dda: {
      auto dda = perform_dda(ctx, ttl);
      if (!dda) return std::move(dda).error();
      outcome = std::move(*dda);
      break;
    }
    case OdaMethod::cda: {
      // The signature comes with GENERATE AC; here the ICC key must be retrievable.
      auto key = retrieve_icc_public_key(ctx);
      if (key) ctx.cda_key_ready = true;
      else outcome = std::move(key).error();
      break;
    }
  }
  ctx.tsi.set(TsiBit::offline_data_authentication_performed);
  if (!outcome) {
    for (const MethodBits& row : kMethodBits)
      if (row.method == ctx.oda) ctx.tvr.set(row.failed);
    if (outcome.error().code == Errc::not_found) ctx.tvr.set(TvrBit::icc_data_missing);
    log::info("emv.oda", "offline data authentication failed: ", outcome.error().message);
  }
  return ok();
}

Result<void> verify_generate_ac_signature(Context& ctx, const GenerateAcResponse& response,
                                          bool second_generate_ac) {
  if (!ctx.icc_public_key) return failed("CDA: no ICC public key");
  if (!response.format2 || response.sdad.empty()) return failed("CDA: response carries no 9F4B");
  const auto un = ctx.terminal.get(0x9F37);
  if (!un) return failed("CDA: no unpredictable number");
  Bytes transaction_data = ctx.pdol_data;
  transaction_data.insert(transaction_data.end(), ctx.cdol1_data.begin(), ctx.cdol1_data.end());
  if (second_generate_ac) {
    transaction_data.insert(transaction_data.end(), ctx.cdol2_data.begin(), ctx.cdol2_data.end());
  }
  transaction_data.insert(transaction_data.end(), response.objects_except_sdad.begin(),
                          response.objects_except_sdad.end());
  auto result = verify_cda_signature(*ctx.icc_public_key, response.sdad, *un, response.cid,
                                     transaction_data);
  if (!result) return std::move(result).error();
  ctx.icc.set(0x9F26, result->application_cryptogram);
  ctx.icc.set(0x9F4C, result->icc_dynamic_number);
  return ok();
}

}  // namespace tender::emv
