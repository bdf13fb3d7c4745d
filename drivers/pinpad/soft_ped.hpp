// The software PIN entry device: for the emulator, development and tests. PIN digits
// come from a PinSource (the emulator's keypad, a scenario step, a test); the online
// PIN is enciphered under a DUKPT originator whose state is saved to a KeyStore
// before each PIN block is released, so a power cut never reuses a KSN.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "drivers/pinpad/dukpt_aes.hpp"
#include "drivers/pinpad/dukpt_tdes.hpp"
#include "drivers/pinpad/key_store.hpp"
#include "drivers/pinpad/pin_pad.hpp"

namespace tender::pinpad {

// What the cardholder typed: digits, or nullopt for bypass (ENTER with no digits).
// Errc::cancelled / Errc::timeout pass through to the kernel.
using PinSource = std::function<Result<std::optional<SecretString>>(std::string_view prompt)>;

class SoftPed final : public PinPad {
 public:
  using Originator = std::variant<tdes::Originator, aes::Originator>;

  // `store` may be null (tests); otherwise state goes to `slot` before each PIN block.
  SoftPed(PinSource source, Originator originator, KeyStore* store = nullptr,
          std::string slot = "ped-dukpt");

  [[nodiscard]] bool available() const override { return true; }
  Result<OnlinePin> enter_online_pin(std::string_view pan, std::string_view prompt) override;
  Result<OfflinePin> enter_offline_plaintext_pin(std::string_view prompt) override;
  Result<OfflinePin> enter_offline_enciphered_pin(const RsaPublicKey& icc_key,
                                                  ByteView icc_unpredictable_number,
                                                  std::string_view prompt) override;

 private:
  Result<void> persist();

  PinSource source_;
  Originator originator_;
  KeyStore* store_;
  std::string slot_;
};

// A PED that is not there or not working: every entry fails, available() is false.
class AbsentPinPad final : public PinPad {
 public:
  [[nodiscard]] bool available() const override { return false; }
  Result<OnlinePin> enter_online_pin(std::string_view, std::string_view) override;
  Result<OfflinePin> enter_offline_plaintext_pin(std::string_view) override;
  Result<OfflinePin> enter_offline_enciphered_pin(const RsaPublicKey&, ByteView, std::string_view) override;
};

}  // namespace tender::pinpad
