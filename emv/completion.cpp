#include "emv/completion.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "common/log.hpp"
#include "emv/tal.hpp"

namespace tender::emv {
namespace {

constexpr std::array<std::array<Byte, 2>, 4> kApprovingArcs = {
    {{'0', '0'}, {'0', '8'}, {'1', '0'}, {'1', '1'}}};
constexpr std::array<Byte, 2> kUnableOnlineApproved = {'Y', '3'};
constexpr std::array<Byte, 2> kUnableOnlineDeclined = {'Z', '3'};

void append_script_result(Context& ctx, ScriptResult result, unsigned sequence, ByteView id) {
  Bytes results(ctx.terminal.get(0x9F5B).value_or(ByteView{}).begin(),
                ctx.terminal.get(0x9F5B).value_or(ByteView{}).end());
  const unsigned seq = result == ScriptResult::failed ? std::min(sequence, 15u) : 0u;
  results.push_back(static_cast<Byte>(static_cast<Byte>(result) | seq));
  Byte identifier[4] = {};
  if (id.size() == 4) std::ranges::copy(id, identifier);
  results.insert(results.end(), std::begin(identifier), std::end(identifier));
  ctx.terminal.set(0x9F5B, results);
}

void script_failed(Context& ctx, Tag template_tag) {
  ctx.tvr.set(template_tag == 0x71 ? TvrBit::script_processing_failed_before_final_generate_ac
                                   : TvrBit::script_processing_failed_after_final_generate_ac);
}

// One script: its commands in order; the first that fails ends it.
Result<void> run_script(Context& ctx, Ttl& ttl, const TlvNode& script, Tag template_tag) {
  const TlvNode* id_node = find_child(script, 0x9F18);
  const ByteView id = id_node ? id_node->value : ByteView{};
  unsigned sequence = 0;
  for (const TlvNode& command : script.children) {
    if (command.tag != 0x86) continue;
    ++sequence;
    ctx.tsi.set(TsiBit::script_processing_performed);
    auto response = issuer_script_command(ttl, command.value);
    if (!response && response.error().code != Errc::malformed) return std::move(response).error();
    if (!response || (response->meaning != SwMeaning::ok && response->meaning != SwMeaning::warning)) {
      append_script_result(ctx, ScriptResult::failed, sequence, id);
      script_failed(ctx, template_tag);
      return ok();
    }
  }
  append_script_result(ctx, sequence == 0 ? ScriptResult::not_performed : ScriptResult::successful, 0, id);
  return ok();
}

}  // namespace

bool arc_approves(ByteView arc) {
  return std::ranges::any_of(kApprovingArcs, [arc](const auto& code) { return std::ranges::equal(code, arc); });
}

Result<void> issuer_script_processing(Context& ctx, Ttl& ttl, ByteView scripts, Tag template_tag) {
  if (scripts.empty()) return ok();
  auto nodes = decode(scripts);
  if (!nodes) {
    // Nothing can be told apart in a malformed buffer: one failed entry, reported with the
    // scripts before the final GENERATE AC (the first time they are looked at).
    if (template_tag == 0x71) {
      append_script_result(ctx, ScriptResult::failed, 0, {});
      script_failed(ctx, template_tag);
    }
    return ok();
  }
  for (const TlvNode& script : *nodes) {
    if (script.tag != template_tag) continue;
    if (auto r = run_script(ctx, ttl, script, template_tag); !r) return r;
  }
  return ok();
}

Result<void> issuer_authentication(Context& ctx, Ttl& ttl, ByteView issuer_authentication_data) {
  if (issuer_authentication_data.empty() ||
      !ctx.aip().test(AipBit::issuer_authentication_supported)) {
    return ok();
  }
  ctx.tsi.set(TsiBit::issuer_authentication_performed);
  if (issuer_authentication_data.size() < 8 || issuer_authentication_data.size() > 16) {
    ctx.tvr.set(TvrBit::issuer_authentication_failed);
    return ok();
  }
  auto response = external_authenticate(ttl, issuer_authentication_data);
  if (!response) return std::move(response).error();
  if (!response->ok()) ctx.tvr.set(TvrBit::issuer_authentication_failed);
  return ok();
}

Result<Completion> complete_transaction(Context& ctx, Ttl& ttl, const OnlineResponse& online) {
  Completion completion;
  completion.host_reached = online.host_reached && online.arc.size() == 2;
  CryptogramType requested = CryptogramType::aac;
  if (completion.host_reached) {
    ctx.terminal.set(0x8A, online.arc);
    if (!online.issuer_authentication_data.empty()) {
      ctx.terminal.set(0x91, online.issuer_authentication_data);
    }
    if (auto r = issuer_authentication(ctx, ttl, online.issuer_authentication_data); !r) return r.error();
    if (auto r = issuer_script_processing(ctx, ttl, online.issuer_scripts, 0x71); !r) return r.error();
    requested = arc_approves(online.arc) ? CryptogramType::tc : CryptogramType::aac;
  } else {
    // Book 3 10.7: unable to go online, the default action codes decide.
    const ActionCodes tac = ctx.aid ? terminal_action_codes(*ctx.aid) : ActionCodes{};
    requested = default_action_analysis(ctx.tvr, tac, issuer_action_codes(ctx.icc));
    ctx.terminal.set(0x8A, requested == CryptogramType::tc ? kUnableOnlineApproved : kUnableOnlineDeclined);
  }
  auto decision = generate_application_cryptogram(ctx, ttl, 0x8D, requested,
                                                  cda_requested(ctx, requested), ctx.cdol2_data);
  if (!decision) return std::move(decision).error();
  if (decision->cryptogram == CryptogramType::arqc) {
    return make_error(Errc::malformed, "second GENERATE AC returned an ARQC");
  }
  completion.decision = std::move(*decision);
  completion.approved = completion.decision.cryptogram == CryptogramType::tc && !completion.decision.cda_failed;
  if (completion.host_reached) {
    if (auto r = issuer_script_processing(ctx, ttl, online.issuer_scripts, 0x72); !r) return r.error();
  }
  return completion;
}

}  // namespace tender::emv
