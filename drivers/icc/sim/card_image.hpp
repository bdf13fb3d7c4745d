// Personalisation of a virtual card: from a profile and the test PKI to what the card
// holds (FCIs, records with the ODA data elements signed at load, keys). The virtual
// card computes its certificates here, when it is loaded, from the PKI's private keys:
// the Issuer Public Key Certificate with the CA key, the ICC Public Key Certificate and
// the Signed Static Application Data with the issuer key, over the static data to be
// authenticated exactly as EMV Book 3 10.3 defines it from the card's AFL.
#pragma once

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "drivers/icc/sim/card_profile.hpp"
#include "drivers/icc/sim/test_pki.hpp"
#include "emv/dol.hpp"
#include "emv/sim/rsa_sign.hpp"

namespace tender::icc::sim {

inline constexpr std::string_view kPseName = "1PAY.SYS.DDF01";

struct AppImage {
  Application profile;
  Bytes fci;                                       // 6F template
  std::map<std::pair<Byte, Byte>, Bytes> records;  // (SFI, record number) -> template 70
  Bytes static_data;                               // static data to be authenticated
  emv::DesKey icc_master_key;                      // Book 2 A1.4.1 Option A from imk_ac
  std::optional<emv::RsaSigningKey> icc_key;       // DDA, CDA, enciphered PIN
  std::vector<emv::DolEntry> pdol, cdol1, cdol2;
};

struct CardImage {
  Bytes pse_fci;                   // empty when the card has no PSE
  Byte pse_sfi = 1;                // SFI of the payment system directory
  std::map<Byte, Bytes> pse_records;  // record number -> template 70 with one entry 61
  std::vector<AppImage> apps;
};

// Errc::not_found / Errc::malformed naming the profile field when a key is missing
// from the PKI, has the wrong role, or a CA key's RID differs from the AID's.
Result<CardImage> personalise(const CardProfile& profile, const TestPki& pki);

// Book 3 10.3: the values of the template-70 records of SFI 1..10 (without tag and
// length), whole records for SFI 11..30, in AFL order, then the values of the tags
// that 9F4A lists (only 82 is allowed). Exposed for tests.
Result<Bytes> static_data_to_authenticate(const std::vector<AflEntry>& afl,
                                          const std::map<std::pair<Byte, Byte>, Bytes>& records,
                                          const std::map<emv::Tag, Bytes>& data, std::array<Byte, 2> aip);

}  // namespace tender::icc::sim
