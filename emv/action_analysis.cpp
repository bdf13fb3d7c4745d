#include "emv/action_analysis.hpp"

#include <algorithm>
#include <string>

#include "common/log.hpp"
#include "emv/dol.hpp"
#include "emv/oda.hpp"
#include "emv/oda_rsa.hpp"

namespace tender::emv {
namespace {

using Code = std::array<Byte, 5>;

constexpr Code kAllZeros{};
constexpr Code kAllOnes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

bool matches(const Tvr& tvr, const Code& tac, const Code& iac) {
  const ByteView bits = tvr.bytes();
  for (std::size_t i = 0; i < 5; ++i)
    if ((bits[i] & (tac[i] | iac[i])) != 0) return true;
  return false;
}

Code code_or(const TagStore& icc, Tag tag, const Code& absent) {
  const auto value = icc.get(tag);
  if (!value || value->size() != 5) return absent;
  Code code{};
  std::ranges::copy(*value, code.begin());
  return code;
}

Error terminate(std::string reason) { return make_error(Errc::malformed, std::move(reason)); }

// Book 3 10.8 (TC Hash Value): SHA-1 of the TDOL data; the card's TDOL (97) or the
// terminal's default, which sets TVR "Default TDOL used".
void set_tc_hash_value(Context& ctx) {
  const auto card_tdol = ctx.icc.get(0x97);
  ByteView tdol = card_tdol.value_or(ByteView{});
  if (!card_tdol && ctx.aid != nullptr && !ctx.aid->default_tdol.empty()) {
    tdol = ctx.aid->default_tdol;
    ctx.tvr.set(TvrBit::default_tdol_used);
  }
  auto entries = parse_dol(tdol);
  const Bytes data = entries && dol_data_length(*entries) <= 255
                         ? build_dol_data(*entries, ctx.dol_lookup())
                         : Bytes{};
  ctx.terminal.set(0x98, sha1({data}));
}

}  // namespace

ActionCodes terminal_action_codes(const AidConfig& aid) {
  return ActionCodes{aid.tac_denial, aid.tac_online, aid.tac_default};
}

ActionCodes issuer_action_codes(const TagStore& icc) {
  return ActionCodes{code_or(icc, 0x9F0E, kAllZeros), code_or(icc, 0x9F0F, kAllOnes),
                     code_or(icc, 0x9F0D, kAllOnes)};
}

CryptogramType default_action_analysis(const Tvr& tvr, const ActionCodes& tac, const ActionCodes& iac) {
  return matches(tvr, tac.default_, iac.default_) ? CryptogramType::aac : CryptogramType::tc;
}

CryptogramType terminal_action_analysis(const Tvr& tvr, const ActionCodes& tac,
                                        const ActionCodes& iac, bool online_capable) {
  if (matches(tvr, tac.denial, iac.denial)) return CryptogramType::aac;
  if (!online_capable) return default_action_analysis(tvr, tac, iac);
  return matches(tvr, tac.online, iac.online) ? CryptogramType::arqc : CryptogramType::tc;
}

CryptogramType terminal_action_analysis(const Context& ctx) {
  const ActionCodes tac = ctx.aid ? terminal_action_codes(*ctx.aid) : ActionCodes{};
  return terminal_action_analysis(ctx.tvr, tac, issuer_action_codes(ctx.icc),
                                  online_capable(ctx.config.terminal_type));
}

bool cda_requested(const Context& ctx, CryptogramType requested) {
  return ctx.oda == OdaMethod::cda && ctx.cda_key_ready && requested != CryptogramType::aac;
}

Cid decode_cid(Byte cid) {
  Cid out;
  switch (cid & 0xC0) {
    case 0x00:
      out.type = CryptogramType::aac;
      break;
    case 0x40:
      out.type = CryptogramType::tc;
      break;
    case 0x80:
      out.type = CryptogramType::arqc;
      break;
    default:
      break;
  }
  out.advice_required = (cid & 0x08) != 0;
  out.reason = static_cast<Byte>(cid & 0x07);
  return out;
}

int rank(CryptogramType type) {
  switch (type) {
    case CryptogramType::aac:
      return 0;
    case CryptogramType::arqc:
      return 1;
    case CryptogramType::tc:
      return 2;
  }
  return 0;
}

Result<CardDecision> generate_application_cryptogram(Context& ctx, Ttl& ttl, Tag cdol_tag,
                                                     CryptogramType requested, bool cda,
                                                     Bytes& data_out) {
  const std::string which = cdol_tag == 0x8C ? "CDOL1" : "CDOL2";
  auto entries = parse_dol(ctx.icc.get(cdol_tag).value_or(ByteView{}));
  if (!entries) return terminate(which + ": " + entries.error().message);
  if (dol_data_length(*entries) > 255) return terminate(which + " asks for more than 255 bytes");
  if (std::ranges::any_of(*entries, [](const DolEntry& e) { return e.tag == 0x98; })) {
    set_tc_hash_value(ctx);
  }
  data_out = build_dol_data(*entries, ctx.dol_lookup());
  auto response = generate_ac(ttl, requested, cda, data_out);
  if (!response) return std::move(response).error();
  if (!response->ok()) return terminate("GENERATE AC returned " + icc::sw_to_hex(response->sw));
  auto parsed = parse_generate_ac_response(response->data);
  if (!parsed) return std::move(parsed).error();
  CardDecision decision;
  decision.cid = decode_cid(parsed->cid);
  if (!decision.cid.type) return terminate("GENERATE AC: CID names an RFU cryptogram type");
  decision.cryptogram = *decision.cid.type;
  if (rank(decision.cryptogram) > rank(requested)) {
    return terminate("GENERATE AC: card returned a " + std::string(name(decision.cryptogram)) +
                     " for a " + std::string(name(requested)) + " request");
  }
  // Values from an earlier GENERATE AC must not survive into this one's.
  for (const Tag tag : {Tag{0x9F26}, Tag{0x9F10}, Tag{0x9F4B}}) ctx.icc.erase(tag);
  for (const DataObject& object : parsed->objects) ctx.icc.set(object.tag, object.value);
  decision.cda_requested = cda;
  if (cda && decision.cryptogram != CryptogramType::aac) {
    auto verified = verify_generate_ac_signature(ctx, *parsed, cdol_tag == 0x8D);
    if (!verified) {
      decision.cda_failed = true;
      ctx.tvr.set(TvrBit::cda_failed);
      log::info("emv.cda", "CDA failed: ", verified.error().message);
    }
  }
  decision.response = std::move(*parsed);
  return decision;
}

Result<CardDecision> card_action_analysis(Context& ctx, Ttl& ttl, CryptogramType requested) {
  auto decision = generate_application_cryptogram(ctx, ttl, 0x8C, requested,
                                                  cda_requested(ctx, requested), ctx.cdol1_data);
  if (decision) ctx.tsi.set(TsiBit::card_risk_management_performed);
  return decision;
}

}  // namespace tender::emv
