// tender-hostsim's checks of card data the simulator core cannot do itself
// (net/hostsim/verifiers.hpp): the DUKPT receiver side for PIN blocks, and the issuer
// of the built-in virtual test cards for chip cryptograms. Test keys only: the BDKs are
// the X9.24 published test keys and the issuer master keys are the test cards' own.
// Library tender_app_hostsim, so tests can put them behind a HostSimulator too.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/secret.hpp"
#include "drivers/icc/sim/card_profile.hpp"
#include "net/hostsim/verifiers.hpp"

namespace tender::app {

// The test BDKs: TDES DUKPT (X9.24-1 Annex A.4) and AES-128 DUKPT (X9.24-3 test BDK).
inline constexpr std::string_view kTestTdesBdkHex = "0123456789ABCDEFFEDCBA9876543210";
inline constexpr std::string_view kTestAesBdkHex = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
// The built-in test cards' PIN.
inline constexpr std::string_view kTestCardPin = "1234";

// The receiver side of DUKPT. The KSN's length picks the scheme: 10 bytes is TDES DUKPT
// with an 8-byte ISO 9564 format 0 block, 12 bytes is AES DUKPT (AES-128 PIN working key)
// with a 16-byte format 4 block. The clear PIN is compared with the expected PIN for the
// PAN (`pins_by_pan`, else `default_pin`).
//  - true/false: the PIN matches or not; a block that decodes to something its format
//    forbids (what a wrong PIN pad key or PAN gives) is false;
//  - an error: a KSN of another length, a block of the wrong length, a KSN whose counter
//    is not valid (the simulator declines "incorrect PIN" either way).
class DukptPinVerifier final : public net::hostsim::PinVerifier {
 public:
  using PinMap = std::map<std::string, SecretString, std::less<>>;
  DukptPinVerifier();
  explicit DukptPinVerifier(PinMap pins_by_pan, SecretString default_pin = SecretString{kTestCardPin});

  Result<bool> verify(std::string_view pan, ByteView pin_block, ByteView ksn) override;

 private:
  SecretBytes tdes_bdk_;
  SecretBytes aes_bdk_;
  PinMap pins_by_pan_;
  SecretString default_pin_;
};

// The issuer of the built-in virtual test cards (drivers/icc/sim/cards): finds the
// profile whose application has the request's PAN (and PAN sequence number, when the
// request carries one), verifies the ARQC with the profile's test issuer master key
// (emv::verify_arqc, through app/issuer's answer_online_tags) and answers BER-TLV:
// 8A (ARC), 91 (ARPC method 1 || ARC) and, when approving, the profile's issuer scripts
// (71/72). Declines (8A "05", or "54" when the TVR says the application expired) keep
// 8A + 91 so the card can still authenticate the issuer.
//
// A PAN no built-in card has (or a card without an issuer section): the cryptogram
// cannot be checked without the card's keys, so the answer follows `approve` and carries
// only 8A ("00" or "05"), no 91: such a card does its own issuer-authentication-failed
// processing. Online tags that do not parse or lack a tag the ARQC covers are an error
// (the simulator declines).
class TestCardIssuer final : public net::hostsim::ChipIssuer {
 public:
  // The built-in profiles (drivers/icc/sim/builtin.hpp).
  static Result<TestCardIssuer> builtin();
  explicit TestCardIssuer(std::vector<icc::sim::CardProfile> profiles);

  Result<net::hostsim::ChipDecision> authorize(std::string_view pan, ByteView psn, ByteView emv_tags,
                                               bool approve) override;

 private:
  std::vector<icc::sim::CardProfile> profiles_;
};

}  // namespace tender::app
