#include "drivers/pinpad/soft_ped.hpp"

#include "common/crypto/random.hpp"
#include "common/crypto/rsa.hpp"
#include "drivers/pinpad/pin_block.hpp"

namespace tender::pinpad {
namespace {

// EMV Book 2 7.1: the header byte of the data enciphered for VERIFY P2 = 88.
constexpr Byte kEncipheredPinHeader = 0x7F;
constexpr std::size_t kIccUnpredictableNumberLength = 8;

// RSA public-key operation, raw (EMV uses no PKCS#1 padding for PIN encipherment).
Result<Bytes> rsa_public(const RsaPublicKey& key, ByteView input) {
  auto out = crypto::rsa_public(key.modulus, key.exponent, input);
  if (!out) return make_error(out.error().code, "RSA public operation failed (ICC PIN key): " + out.error().message);
  return out;
}

}  // namespace

SoftPed::SoftPed(PinSource source, Originator originator, KeyStore* store, std::string slot)
    : source_(std::move(source)), originator_(std::move(originator)), store_(store), slot_(std::move(slot)) {}

Result<void> SoftPed::persist() {
  if (!store_) return ok();
  const SecretBytes image = std::visit([](const auto& o) { return serialize(o.state()); }, originator_);
  return store_->save(slot_, image.reveal());
}

Result<OnlinePin> SoftPed::enter_online_pin(std::string_view pan, std::string_view prompt) {
  auto entered = source_(prompt);
  if (!entered) return std::move(entered).error();
  if (!*entered) return OnlinePin{true, {}, {}, OnlinePinFormat::iso0_tdes_dukpt};
  const std::string_view pin = (*entered)->reveal();

  if (auto* t = std::get_if<tdes::Originator>(&originator_)) {
    auto clear = format0_encode(pin, pan);  // checks PIN and PAN before a KSN is spent
    if (!clear) return std::move(clear).error();
    auto key = t->next_transaction();
    if (!key) return std::move(key).error();
    // X9.24: the new register state must be durable before the PIN block leaves.
    if (auto r = persist(); !r) return std::move(r).error();
    const auto block = tdes::encrypt_pin_block(key->pin_key, clear->reveal().first<8>());
    return OnlinePin{false, Bytes(block.begin(), block.end()), Bytes(key->ksn.begin(), key->ksn.end()),
                     OnlinePinFormat::iso0_tdes_dukpt};
  }
  auto& a = std::get<aes::Originator>(originator_);
  Bytes fill(8);
  if (auto r = crypto::random_bytes(fill); !r) return std::move(r).error();
  auto field = format4_pin_field(pin, fill);
  if (!field) return std::move(field).error();
  auto key = a.next_transaction();
  if (!key) return std::move(key).error();
  if (auto r = persist(); !r) return std::move(r).error();
  auto block = format4_encipher(key->pin_key.reveal(), *field, pan);
  if (!block) return std::move(block).error();
  return OnlinePin{false, Bytes(block->begin(), block->end()), Bytes(key->ksn.begin(), key->ksn.end()),
                   OnlinePinFormat::iso4_aes_dukpt};
}

Result<OfflinePin> SoftPed::enter_offline_plaintext_pin(std::string_view prompt) {
  auto entered = source_(prompt);
  if (!entered) return std::move(entered).error();
  if (!*entered) return OfflinePin{true, {}};
  auto block = format2_encode((*entered)->reveal());
  if (!block) return std::move(block).error();
  return OfflinePin{false, block->to_secret_bytes()};
}

Result<OfflinePin> SoftPed::enter_offline_enciphered_pin(const RsaPublicKey& icc_key,
                                                         ByteView icc_unpredictable_number,
                                                         std::string_view prompt) {
  if (icc_unpredictable_number.size() != kIccUnpredictableNumberLength)
    return make_error(Errc::invalid_argument, "ICC unpredictable number must be 8 bytes");
  if (icc_key.modulus.size() < 1 + 8 + kIccUnpredictableNumberLength)
    return make_error(Errc::invalid_argument, "ICC PIN key modulus too short");
  auto entered = source_(prompt);
  if (!entered) return std::move(entered).error();
  if (!*entered) return OfflinePin{true, {}};
  auto block = format2_encode((*entered)->reveal());
  if (!block) return std::move(block).error();

  SecretBytes plain(icc_key.modulus.size());
  auto p = plain.mutable_bytes();
  p[0] = kEncipheredPinHeader;
  const ByteView pin_block = block->reveal();
  std::copy(pin_block.begin(), pin_block.end(), p.begin() + 1);
  std::copy(icc_unpredictable_number.begin(), icc_unpredictable_number.end(), p.begin() + 9);
  if (auto r = crypto::random_bytes(p.subspan(1 + 8 + kIccUnpredictableNumberLength)); !r) return std::move(r).error();
  auto enciphered = rsa_public(icc_key, plain.reveal());
  if (!enciphered) return std::move(enciphered).error();
  return OfflinePin{false, SecretBytes::take(*enciphered)};
}

Result<OnlinePin> AbsentPinPad::enter_online_pin(std::string_view, std::string_view) {
  return make_error(Errc::unsupported, "no PIN pad");
}
Result<OfflinePin> AbsentPinPad::enter_offline_plaintext_pin(std::string_view) {
  return make_error(Errc::unsupported, "no PIN pad");
}
Result<OfflinePin> AbsentPinPad::enter_offline_enciphered_pin(const RsaPublicKey&, ByteView, std::string_view) {
  return make_error(Errc::unsupported, "no PIN pad");
}

}  // namespace tender::pinpad
