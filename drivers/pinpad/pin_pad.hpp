// The PIN pad seam (ARCHITECTURE.md: enter_pin -> {encrypted PIN block, KSN}).
// The clear PIN never leaves a PinPad: online PIN comes out enciphered under DUKPT
// for the host, offline PIN comes out as the VERIFY command data the card expects
// (EMV Book 3 6.5.12), plaintext or enciphered under the ICC's public key inside
// the PIN pad (EMV Book 2 7.1).
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::pinpad {

enum class OnlinePinFormat { iso0_tdes_dukpt, iso4_aes_dukpt };

struct OnlinePin {
  bool bypassed = false;   // the cardholder pressed ENTER with no digits (EMV PIN bypass)
  Bytes pin_block;         // enciphered: safe to carry to the host
  Bytes ksn;
  OnlinePinFormat format = OnlinePinFormat::iso0_tdes_dukpt;
};

struct OfflinePin {
  bool bypassed = false;
  SecretBytes verify_data;  // the data field of VERIFY: a clear format 2 block is a secret
};

// An RSA public key as the card gives it (ICC PIN encipherment key or ICC key).
struct RsaPublicKey {
  Bytes modulus;
  Bytes exponent;
};

class PinPad {
 public:
  virtual ~PinPad() = default;
  // "PIN pad present and working" for the CVM step (EMV Book 3 10.5, TVR byte 3).
  [[nodiscard]] virtual bool available() const = 0;
  // Cancel by the cardholder is Errc::cancelled; no entry in time is Errc::timeout.
  virtual Result<OnlinePin> enter_online_pin(std::string_view pan, std::string_view prompt) = 0;
  // VERIFY P2 = 80: the ISO 9564-1 format 2 plaintext PIN block.
  virtual Result<OfflinePin> enter_offline_plaintext_pin(std::string_view prompt) = 0;
  // VERIFY P2 = 88: RSA( 7F | format 2 block | ICC unpredictable number | random pad ).
  virtual Result<OfflinePin> enter_offline_enciphered_pin(const RsaPublicKey& icc_key,
                                                          ByteView icc_unpredictable_number,
                                                          std::string_view prompt) = 0;
};

}  // namespace tender::pinpad
