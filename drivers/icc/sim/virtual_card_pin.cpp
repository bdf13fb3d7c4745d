// VirtualCard: VERIFY (offline PIN, Book 3 6.5.12, Book 2 7.2) and the issuer script
// commands (Book 3 6.5.1, 6.5.2, 6.5.10, and PUT DATA) with the Book 2 9.2.1 MAC when
// the profile asks for it.
#include <algorithm>

#include "drivers/icc/sim/sw.hpp"
#include "drivers/icc/sim/virtual_card.hpp"
#include "drivers/pinpad/pin_block.hpp"
#include "emv/sim/cryptogram.hpp"
#include "emv/sim/rsa_sign.hpp"

namespace tender::icc::sim {
namespace {

constexpr Byte kPlaintextPin = 0x80;
constexpr Byte kEncipheredPin = 0x88;
constexpr Byte kEncipheredPinHeader = 0x7F;  // Book 2 7.1 step 1

}  // namespace

ResponseApdu VirtualCard::pin_status() const {
  return status(pin_try_counter_ == 0 ? sw::kAuthenticationBlocked : sw::tries_left(pin_try_counter_));
}

ResponseApdu VirtualCard::check_pin(std::string_view entered) {
  session_.offline_pin_performed = true;
  if (SecretString{entered} == pin_) {
    pin_try_counter_ = pin_try_limit_;
    session_.offline_pin_failed = false;
    return status(kSwOk);
  }
  --pin_try_counter_;
  session_.offline_pin_failed = true;
  return status(sw::tries_left(pin_try_counter_));
}

ResponseApdu VirtualCard::verify(const CommandApdu& c) {
  if (c.p1 != 0x00 || (c.p2 != kPlaintextPin && c.p2 != kEncipheredPin)) return status(sw::kWrongP1P2);
  if (!adf_selected()) return status(sw::kConditionsNotSatisfied);
  if (c.p2 == kEncipheredPin && !app().icc_key) return status(sw::kWrongP1P2);
  if (c.data.empty()) return pin_status();  // case 1 VERIFY: tries left
  if (pin_try_counter_ == 0) return status(sw::kAuthenticationBlocked);

  if (c.p2 == kPlaintextPin) {
    if (c.data.size() != 8) return status(sw::kWrongLength);
    auto pin = pinpad::format2_decode(c.data);
    if (!pin) return status(sw::kWrongData);
    return check_pin(pin->reveal());
  }
  // Enciphered: RSA-decipher with the ICC key, then 7F | PIN block | ICC UN | pad.
  const emv::RsaSigningKey& key = *app().icc_key;
  if (c.data.size() != key.modulus.size()) return status(sw::kWrongLength);
  if (!session_.challenge) return status(sw::kConditionsNotSatisfied);
  const std::array<Byte, 8> challenge = *session_.challenge;
  session_.challenge.reset();  // one GET CHALLENGE, one VERIFY
  auto plain = emv::rsa_private(key, c.data);
  if (!plain) return status(sw::kWrongData);
  SecretBytes clear = SecretBytes::take(*plain);
  const ByteView p = clear.reveal();
  if (p[0] != kEncipheredPinHeader || !std::equal(challenge.begin(), challenge.end(), p.begin() + 9))
    return status(sw::kWrongData);
  auto pin = pinpad::format2_decode(p.subspan(1, 8));
  if (!pin) return status(sw::kWrongData);
  return check_pin(pin->reveal());
}

ResponseApdu VirtualCard::issuer_script(const CommandApdu& c) {
  if (!adf_selected() || session_.gen_ac_count == 0) return status(sw::kConditionsNotSatisfied);
  ByteView data = c.data;
  if (app().profile.script_mac) {
    if (data.size() < emv::kScriptMacLength) {
      session_.script_failed = true;
      return status(sw::kSecureMessagingIncorrect);
    }
    const ByteView mac = data.subspan(data.size() - emv::kScriptMacLength);
    data = data.first(data.size() - emv::kScriptMacLength);
    const std::array<Byte, 5> header{c.cla, c.ins, c.p1, c.p2, static_cast<Byte>(c.data.size())};
    const emv::DesKey key = emv::derive_secure_messaging_key(app().icc_master_key, session_.first_ac);
    const auto expected = emv::script_command_mac(key, header, state().atc, session_.first_ac, data);
    if (!constant_time_equal(expected.data(), mac.data(), expected.size())) {
      session_.script_failed = true;
      return status(sw::kSecureMessagingIncorrect);
    }
  }
  ResponseApdu r = apply_script_command(c, data);
  if (r.sw == kSwOk) {
    if (session_.scripts_processed < 15) ++session_.scripts_processed;
  } else {
    session_.script_failed = true;
  }
  return r;
}

ResponseApdu VirtualCard::apply_script_command(const CommandApdu& c, ByteView data) {
  switch (c.ins) {
    case ins::kApplicationBlock:
    case ins::kApplicationUnblock:
      if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kWrongP1P2);
      if (!data.empty()) return status(sw::kWrongLength);
      state().blocked = c.ins == ins::kApplicationBlock;
      return status(kSwOk);
    case ins::kPutData: {
      const emv::Tag tag = static_cast<emv::Tag>((c.p1 << 8) | c.p2);
      if (tag == 0 || tag == 0x9F36 || tag == 0x9F13 || tag == 0x9F17) return status(sw::kWrongP1P2);
      state().put_data[tag] = Bytes(data.begin(), data.end());
      return status(kSwOk);
    }
    case ins::kPinChangeUnblock:
      if (c.p1 != 0x00) return status(sw::kWrongP1P2);
      if (c.p2 == 0x00) {  // PIN unblock: reset the try counter
        if (!data.empty()) return status(sw::kWrongLength);
        pin_try_counter_ = pin_try_limit_;
        return status(kSwOk);
      }
      if (c.p2 == 0x02) {  // PIN change without the current PIN. Test mode: a clear format 2 block.
        if (data.size() != 8) return status(sw::kWrongLength);
        auto pin = pinpad::format2_decode(data);
        if (!pin) return status(sw::kWrongData);
        pin_ = std::move(*pin);
        pin_try_counter_ = pin_try_limit_;
        return status(kSwOk);
      }
      return status(sw::kWrongP1P2);
    default:
      return status(sw::kInsNotSupported);
  }
}

}  // namespace tender::icc::sim
