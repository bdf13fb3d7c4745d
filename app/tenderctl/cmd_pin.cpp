// tenderctl pinblock, pinblock encrypt, dukpt derive.
// These print clear PIN blocks and keys because that is what they are for: they
// are development tools for the standards' published test keys, never for
// production key material (README says so).
#include <array>

#include "app/tenderctl/cli.hpp"
#include "common/bytes.hpp"
#include "common/pan.hpp"
#include "common/crypto/random.hpp"
#include "drivers/pinpad/dukpt_aes.hpp"
#include "drivers/pinpad/dukpt_tdes.hpp"
#include "drivers/pinpad/pin_block.hpp"

namespace tender::ctl {
namespace {

using namespace tender::pinpad;

constexpr std::size_t kTdesKsnLength = 10;
constexpr std::size_t kAesKsnLength = 12;

// The random half of an ISO 9564 format 4 PIN field: from --fill when the caller
// wants a reproducible block, otherwise from the kernel's CSPRNG.
Result<Bytes> format4_fill(const Args& args) {
  if (auto fill = args.option("--fill")) return from_hex_exact(*fill, 8);
  Bytes random(8);
  auto filled = crypto::random_bytes(random);
  if (!filled) return std::move(filled).error();
  return random;
}

enum class Scheme { tdes, aes };

// A 16-byte BDK is both a double-length TDES key and an AES-128 key; the KSN
// length tells them apart (10 bytes: X9.24-1, 12 bytes: X9.24-3).
Result<Scheme> scheme_for(std::size_t bdk_length, std::size_t ksn_length) {
  if (ksn_length == kTdesKsnLength) {
    if (bdk_length != 16)
      return make_error(Errc::invalid_argument, "a TDES BDK (10-byte KSN) must be 16 bytes");
    return Scheme::tdes;
  }
  if (ksn_length == kAesKsnLength) {
    if (bdk_length != 16 && bdk_length != 24 && bdk_length != 32)
      return make_error(Errc::invalid_argument, "an AES BDK (12-byte KSN) must be 16, 24 or 32 bytes");
    return Scheme::aes;
  }
  return make_error(Errc::invalid_argument, "KSN must be 10 bytes (TDES DUKPT) or 12 bytes (AES DUKPT)");
}

struct KeyInput {
  SecretBytes bdk;
  Bytes ksn;
  Scheme scheme;
};

Result<KeyInput> key_input(const Args& args) {
  auto bdk_hex = args.required("--bdk");
  if (!bdk_hex) return std::move(bdk_hex).error();
  auto ksn_hex = args.required("--ksn");
  if (!ksn_hex) return std::move(ksn_hex).error();
  auto bdk = from_hex(*bdk_hex);
  if (!bdk) return make_error(Errc::malformed, "--bdk: " + bdk.error().message);
  auto ksn = from_hex(*ksn_hex);
  if (!ksn) return make_error(Errc::malformed, "--ksn: " + ksn.error().message);
  auto scheme = scheme_for(bdk->size(), ksn->size());
  if (!scheme) return std::move(scheme).error();
  return KeyInput{SecretBytes::take(*bdk), std::move(*ksn), *scheme};
}

std::string aes_scheme_name(std::size_t bdk_length) {
  switch (bdk_length) {
    case 24: return "aes192";
    case 32: return "aes256";
    default: return "aes128";
  }
}

// The KSN a device would use next from this register: a KSN whose counter is 0
// is the initial KSN as injected, and the first transaction uses counter 1.
// Any other counter is used as given, and must be one the device can produce.
Result<tdes::Ksn> tdes_transaction_ksn(const Bytes& given) {
  tdes::Ksn ksn{};
  std::copy(given.begin(), given.end(), ksn.begin());
  auto counter = tdes::ksn_counter(ksn);
  if (counter == 0) {
    counter = 1;
    ksn = tdes::ksn_with_counter(ksn, counter);
  }
  if (!tdes::counter_is_valid(counter))
    return make_error(Errc::invalid_argument, "KSN counter has more than 10 one-bits; no device uses it");
  return ksn;
}

Result<aes::Ksn> aes_transaction_ksn(const Bytes& given) {
  aes::Ksn ksn{};
  std::copy(given.begin(), given.end(), ksn.begin());
  auto counter = aes::ksn_counter(ksn);
  if (counter == 0) {
    counter = 1;
    ksn = aes::make_ksn(aes::ksn_initial_key_id(ksn), counter);
  }
  if (!aes::counter_is_valid(counter))
    return make_error(Errc::invalid_argument, "KSN counter has more than 16 one-bits; no device uses it");
  return ksn;
}

}  // namespace

CommandResult pinblock(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"--format", "--pin", "--pan", "--fill"});
  if (!args) return std::move(args).error();
  if (!args->positional.empty())
    return make_error(Errc::invalid_argument, "unexpected argument; see tenderctl --help");
  auto format = args->required("--format");
  if (!format) return std::move(format).error();
  auto pin = args->required("--pin");
  if (!pin) return std::move(pin).error();
  auto pan = args->required("--pan");
  if (!pan) return std::move(pan).error();

  Json out;
  if (*format == "0") {
    if (args->option("--fill")) return make_error(Errc::invalid_argument, "--fill applies to format 4 only");
    auto block = format0_encode(*pin, *pan);
    if (!block) return std::move(block).error();
    out["pin_block"] = to_hex(block->reveal());
    return out;
  }
  if (*format == "4") {
    auto fill = format4_fill(*args);
    if (!fill) return std::move(fill).error();
    auto pin_field = format4_pin_field(*pin, *fill);
    if (!pin_field) return std::move(pin_field).error();
    auto pan_field = format4_pan_field(*pan);
    if (!pan_field) return std::move(pan_field).error();
    out["pin_field"] = to_hex(pin_field->reveal());
    out["pan_field"] = to_hex(*pan_field);
    return out;
  }
  return make_error(Errc::invalid_argument, "--format must be 0 or 4");
}

CommandResult pinblock_encrypt(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"--pin", "--pan", "--bdk", "--ksn", "--fill"});
  if (!args) return std::move(args).error();
  if (!args->positional.empty())
    return make_error(Errc::invalid_argument, "unexpected argument; see tenderctl --help");
  auto pin = args->required("--pin");
  if (!pin) return std::move(pin).error();
  auto pan = args->required("--pan");
  if (!pan) return std::move(pan).error();
  auto in = key_input(*args);
  if (!in) return std::move(in).error();

  Json out;
  if (in->scheme == Scheme::tdes) {
    if (args->option("--fill")) return make_error(Errc::invalid_argument, "--fill applies to AES (format 4) only");
    auto ksn = tdes_transaction_ksn(in->ksn);
    if (!ksn) return std::move(ksn).error();
    auto clear = format0_encode(*pin, *pan);
    if (!clear) return std::move(clear).error();
    auto key = tdes::derive_pin_key(in->bdk.reveal(), *ksn);
    if (!key) return std::move(key).error();
    const auto enciphered = tdes::encrypt_pin_block(*key, clear->mutable_bytes());
    out["ksn"] = to_hex(*ksn);
    out["pin_block"] = to_hex(enciphered);
    return out;
  }
  auto ksn = aes_transaction_ksn(in->ksn);
  if (!ksn) return std::move(ksn).error();
  auto fill = format4_fill(*args);
  if (!fill) return std::move(fill).error();
  auto pin_field = format4_pin_field(*pin, *fill);
  if (!pin_field) return std::move(pin_field).error();
  auto key = aes::derive_pin_key(in->bdk.reveal(), *ksn);
  if (!key) return std::move(key).error();
  auto enciphered = format4_encipher(key->reveal(), *pin_field, *pan);
  if (!enciphered) return std::move(enciphered).error();
  out["ksn"] = to_hex(*ksn);
  out["pin_block"] = to_hex(*enciphered);
  return out;
}

CommandResult dukpt_derive(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"--bdk", "--ksn"});
  if (!args) return std::move(args).error();
  if (!args->positional.empty())
    return make_error(Errc::invalid_argument, "unexpected argument; see tenderctl --help");
  auto in = key_input(*args);
  if (!in) return std::move(in).error();

  Json out;
  if (in->scheme == Scheme::tdes) {
    tdes::Ksn ksn{};
    std::copy(in->ksn.begin(), in->ksn.end(), ksn.begin());
    auto ipek = tdes::derive_ipek(in->bdk.reveal(), ksn);
    if (!ipek) return std::move(ipek).error();
    out["scheme"] = "tdes";
    out["ipek"] = to_hex(ipek->reveal());
    // Counter 0 is an initial KSN, what key injection starts from: its IPEK is the answer; no
    // transaction uses it, so it has no working key.
    if (tdes::ksn_counter(ksn) == 0) return out;
    auto txn = tdes::derive_transaction_key(*ipek, ksn);
    if (!txn) return std::move(txn).error();
    out["pin_key"] = to_hex(tdes::pin_variant(*txn).reveal());
    return out;
  }
  aes::Ksn ksn{};
  std::copy(in->ksn.begin(), in->ksn.end(), ksn.begin());
  auto initial = aes::derive_initial_key(in->bdk.reveal(), ByteView{ksn}.first(8));
  if (!initial) return std::move(initial).error();
  out["scheme"] = aes_scheme_name(in->bdk.size());
  out["initial_key"] = to_hex(initial->reveal());
  if (aes::ksn_counter(ksn) == 0) return out;  // an initial KSN: the initial key to inject
  auto derivation = aes::derive_derivation_key(initial->reveal(), ksn);
  if (!derivation) return std::move(derivation).error();
  auto pin_key = aes::derive_pin_key(in->bdk.reveal(), ksn);
  if (!pin_key) return std::move(pin_key).error();
  out["derivation_key"] = to_hex(derivation->reveal());
  out["pin_key"] = to_hex(pin_key->reveal());
  return out;
}

}  // namespace tender::ctl
