#include "app/hostsim/verifiers.hpp"

#include <algorithm>
#include <optional>
#include <span>

#include "app/sim/simulated_issuer.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/pinpad/dukpt_aes.hpp"
#include "drivers/pinpad/dukpt_tdes.hpp"
#include "drivers/pinpad/pin_block.hpp"
#include "emv/tlv.hpp"

namespace tender::app {
namespace {

SecretBytes key_from_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  // The constants above are valid hex; an empty key makes every derivation fail loudly.
  if (!bytes) return SecretBytes{};
  return SecretBytes::take(*bytes);
}

// A decoded block that breaks its format's rules is what a wrong key, KSN or PAN gives:
// the PIN does not match. Anything else (bad lengths, invalid counter) is an error.
Result<bool> compare(Result<SecretString> decoded, const SecretString& expected) {
  if (!decoded) {
    if (decoded.error().code == Errc::malformed) return false;
    return std::move(decoded).error();
  }
  return *decoded == expected;
}

constexpr std::size_t kTdesKsnLength = 10;
constexpr std::size_t kAesKsnLength = 12;
constexpr std::size_t kFormat0BlockLength = 8;
constexpr std::size_t kFormat4BlockLength = 16;

// Authorisation Response Codes for a card the issuer has no keys for.
constexpr std::array<Byte, 2> kArcApproved = {'0', '0'};
constexpr std::array<Byte, 2> kArcDeclined = {'0', '5'};

constexpr emv::Tag kTagArc = 0x8A;
constexpr emv::Tag kTagIssuerAuthenticationData = 0x91;
constexpr emv::Tag kTagDfName = 0x84;
constexpr emv::Tag kTagPanSequenceNumber = 0x5F34;

bool has_pan(const icc::sim::CardProfile& profile, std::string_view pan) {
  return std::any_of(profile.applications.begin(), profile.applications.end(),
                     [&](const icc::sim::Application& app) { return app.pan == pan; });
}

}  // namespace

// ---- DukptPinVerifier ----------------------------------------------------------------

DukptPinVerifier::DukptPinVerifier() : DukptPinVerifier(PinMap{}) {}

DukptPinVerifier::DukptPinVerifier(PinMap pins_by_pan, SecretString default_pin)
    : tdes_bdk_(key_from_hex(kTestTdesBdkHex)),
      aes_bdk_(key_from_hex(kTestAesBdkHex)),
      pins_by_pan_(std::move(pins_by_pan)),
      default_pin_(std::move(default_pin)) {}

Result<bool> DukptPinVerifier::verify(std::string_view pan, ByteView pin_block, ByteView ksn) {
  const auto it = pins_by_pan_.find(pan);
  const SecretString& expected = it != pins_by_pan_.end() ? it->second : default_pin_;

  if (ksn.size() == kTdesKsnLength) {
    if (pin_block.size() != kFormat0BlockLength)
      return make_error(Errc::invalid_argument, "a TDES DUKPT PIN block is 8 bytes");
    auto key = pinpad::tdes::derive_pin_key(tdes_bdk_.reveal(), ksn);
    if (!key) return std::move(key).error();
    const SecretArray<8> clear =
        pinpad::tdes::decrypt_pin_block(*key, std::span<const Byte, kFormat0BlockLength>(pin_block.data(), kFormat0BlockLength));
    return compare(pinpad::format0_decode(clear.reveal(), pan), expected);
  }
  if (ksn.size() == kAesKsnLength) {
    if (pin_block.size() != kFormat4BlockLength)
      return make_error(Errc::invalid_argument, "an AES DUKPT (ISO format 4) PIN block is 16 bytes");
    auto parsed = pinpad::aes::parse_ksn(ksn);
    if (!parsed) return std::move(parsed).error();
    auto key = pinpad::aes::derive_pin_key(aes_bdk_.reveal(), *parsed);
    if (!key) return std::move(key).error();
    return compare(pinpad::format4_decipher(key->reveal(), pin_block, pan), expected);
  }
  return make_error(Errc::invalid_argument, "the KSN must be 10 bytes (TDES DUKPT) or 12 bytes (AES DUKPT)");
}

// ---- TestCardIssuer ------------------------------------------------------------------

Result<TestCardIssuer> TestCardIssuer::builtin() {
  std::vector<icc::sim::CardProfile> profiles;
  for (const auto& entry : icc::sim::builtin_profiles()) {
    auto profile = icc::sim::parse_profile(entry.json, std::string(entry.name));
    if (!profile) return std::move(profile).error();
    profiles.push_back(std::move(*profile));
  }
  return TestCardIssuer(std::move(profiles));
}

TestCardIssuer::TestCardIssuer(std::vector<icc::sim::CardProfile> profiles) : profiles_(std::move(profiles)) {}

Result<net::hostsim::ChipDecision> TestCardIssuer::authorize(std::string_view pan, ByteView psn, ByteView emv_tags,
                                                             bool approve) {
  net::hostsim::ChipDecision decision;
  std::vector<const icc::sim::CardProfile*> candidates;
  for (const auto& profile : profiles_)
    if (profile.issuer && has_pan(profile, pan)) candidates.push_back(&profile);

  if (candidates.empty()) {
    // No keys for this card: nothing to check, nothing the card could check (no 91).
    decision.approved = approve;
    const auto& arc = approve ? kArcApproved : kArcDeclined;
    emv::append_tlv(decision.response_tags, kTagArc, arc);
    return decision;
  }

  auto tags = emv::decode(emv_tags);
  if (!tags) return make_error(Errc::malformed, "EMV tags: " + tags.error().message);
  const emv::TagLookup lookup = [&](emv::Tag tag) -> std::optional<ByteView> {
    if (const auto* node = emv::find(*tags, tag)) return node->value;
    return std::nullopt;
  };
  // 5F34 from the request's card data, else from the tags; 00 when the card has none.
  Byte sequence = 0;
  if (psn.size() == 1) {
    sequence = psn[0];
  } else if (const auto tag = lookup(kTagPanSequenceNumber); tag && tag->size() == 1) {
    sequence = (*tag)[0];
  }
  const ByteView aid = lookup(kTagDfName).value_or(ByteView{});
  const IssuerDecision wanted = approve ? IssuerDecision::approve : IssuerDecision::decline;

  // Two profiles may share a PAN: the one whose key verifies the ARQC answers.
  std::optional<IssuerAnswer> chosen;
  for (const auto* profile : candidates) {
    auto answer = answer_online_tags(*profile, pan, sequence, aid, lookup, wanted);
    if (!answer) return std::move(answer).error();
    const bool valid = answer->arqc_valid;
    if (!chosen || valid) chosen = std::move(*answer);
    if (valid) break;
  }

  const emv::OnlineResponse& response = chosen->response;
  decision.approved = approve && chosen->arqc_valid && emv::arc_approves(response.arc);
  emv::append_tlv(decision.response_tags, kTagArc, response.arc);
  if (!response.issuer_authentication_data.empty())
    emv::append_tlv(decision.response_tags, kTagIssuerAuthenticationData, response.issuer_authentication_data);
  decision.response_tags.insert(decision.response_tags.end(), response.issuer_scripts.begin(),
                                response.issuer_scripts.end());
  return decision;
}

}  // namespace tender::app
