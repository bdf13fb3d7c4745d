#include "app/sim/simulated_issuer.hpp"

#include <algorithm>
#include <array>

#include "emv/sim/cryptogram.hpp"
#include "emv/tlv.hpp"

namespace tender::app {
namespace {

// Authorisation Response Codes (8A, two characters): "00" approved, "05" do not honour.
constexpr std::array<Byte, 2> kArcApproved = {'0', '0'};
constexpr std::array<Byte, 2> kArcDeclined = {'0', '5'};
constexpr std::array<Byte, 2> kArcExpiredCard = {'5', '4'};

// TVR (95) byte 2 bit 7: the application has expired. The issuer sees it in the
// online tags and declines, as a real one does.
bool tvr_says_expired(const emv::TagLookup& lookup) {
  const auto tvr = lookup(0x95);
  return tvr && tvr->size() == 5 && ((*tvr)[1] & 0x40) != 0;
}

const icc::sim::Application* application_for(const icc::sim::CardProfile& profile, ByteView aid) {
  for (const auto& app : profile.applications)
    if (std::equal(app.aid.begin(), app.aid.end(), aid.begin(), aid.end())) return &app;
  return nullptr;
}

}  // namespace

Result<IssuerAnswer> answer_online_request(const icc::sim::CardProfile* profile,
                                           const emv::KernelResult& request, IssuerDecision decision) {
  IssuerAnswer answer;
  answer.response.host_reached = true;
  if (profile == nullptr || !profile->issuer || !request.pan) {
    const auto& arc = decision == IssuerDecision::approve ? kArcApproved : kArcDeclined;
    answer.response.arc.assign(arc.begin(), arc.end());
    return answer;
  }

  auto tags = emv::decode(request.online_tags);
  if (!tags) return make_error(Errc::malformed, "online tags: " + tags.error().message);
  const emv::TagLookup lookup = [&](emv::Tag tag) -> std::optional<ByteView> {
    if (const auto* node = emv::find(*tags, tag)) return node->value;
    return std::nullopt;
  };
  return answer_online_tags(*profile, request.pan->reveal(), request.pan_sequence_number.value_or(0), request.aid,
                            lookup, decision);
}

Result<IssuerAnswer> answer_online_tags(const icc::sim::CardProfile& profile, std::string_view pan, Byte psn,
                                        ByteView aid, const emv::TagLookup& lookup, IssuerDecision decision) {
  if (!profile.issuer) return make_error(Errc::invalid_argument, "the card profile has no issuer section");
  IssuerAnswer answer;
  answer.response.host_reached = true;
  const emv::IssuerKeys keys{profile.issuer->imk_ac};

  auto valid = emv::verify_arqc(keys, pan, psn, lookup);
  if (!valid) return std::move(valid).error();
  answer.arqc_valid = *valid;
  const bool expired = tvr_says_expired(lookup);
  const bool approve = decision == IssuerDecision::approve && answer.arqc_valid && !expired;
  const auto& arc = approve ? kArcApproved : expired ? kArcExpiredCard : kArcDeclined;
  answer.response.arc.assign(arc.begin(), arc.end());

  auto arpc = emv::issuer_authentication_data(keys, pan, psn, lookup, arc);
  if (!arpc) return std::move(arpc).error();
  answer.response.issuer_authentication_data = std::move(*arpc);

  if (!approve) return answer;
  const icc::sim::Application* app = application_for(profile, aid);
  for (const auto& script : profile.issuer->scripts) {
    icc::sim::IssuerScript sent = script;
    if (app != nullptr && app->script_mac) {
      for (auto& command : sent.commands) {
        auto secured = emv::secure_script_command(keys, pan, psn, lookup, command);
        if (!secured) return std::move(secured).error();
        command = std::move(*secured);
      }
    }
    const Bytes encoded = sent.encode();
    answer.response.issuer_scripts.insert(answer.response.issuer_scripts.end(), encoded.begin(), encoded.end());
  }
  return answer;
}

}  // namespace tender::app
