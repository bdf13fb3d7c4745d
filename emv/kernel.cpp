#include "emv/kernel.hpp"

#include <array>

#include "common/log.hpp"
#include "emv/app_processing.hpp"
#include "emv/formats.hpp"
#include "emv/cvm.hpp"
#include "emv/oda.hpp"
#include "emv/restrictions.hpp"
#include "emv/selection.hpp"

namespace tender::emv {
namespace {

constexpr std::string_view kComponent = "emv.kernel";

// The host's tags, in the order the acquirers' messages carry them.
constexpr std::array<Tag, 23> kOnlineTags = {
    0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95,   0x9A,   0x9C,   0x9F02, 0x5F2A, 0x82,   0x9F1A,
    0x9F34, 0x9F33, 0x9F35, 0x84,   0x9F09, 0x9F03, 0x5F34, 0x9F1E, 0x9F53, 0x9F41, 0x9F6E};

std::optional<Pan> pan_of(const TagStore& icc) {
  const auto digits = decode_cn(icc.get(0x5A).value_or(ByteView{}));
  if (!digits) return std::nullopt;
  auto pan = Pan::parse(digits->reveal());
  if (!pan) return std::nullopt;
  return std::move(*pan);
}

}  // namespace

std::string_view name(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::approved_offline:
      return "approved offline";
    case Outcome::declined_offline:
      return "declined offline";
    case Outcome::online_request:
      return "online request";
    case Outcome::approved_online:
      return "approved online";
    case Outcome::declined_online:
      return "declined online";
    case Outcome::fallback:
      return "fallback";
    case Outcome::terminated:
      return "terminated";
  }
  return "unknown";
}

Bytes online_tags(const Context& ctx) {
  Bytes out;
  for (const Tag tag : kOnlineTags) {
    if (const auto value = ctx.lookup(tag)) append_tlv(out, tag, *value);
  }
  return out;
}

Kernel::Kernel(icc::CardReader& reader, pinpad::PinPad& pin_pad, const TerminalConfig& config,
               KernelUi& ui, RandomSource& random, KernelOptions options)
    : reader_(reader),
      pin_pad_(pin_pad),
      config_(config),
      ui_(ui),
      random_(random),
      options_(std::move(options)),
      ttl_(reader, TtlOptions{TransmissionProtocol::t0, options_.transcript}) {}

Kernel::~Kernel() = default;

Result<KernelResult> Kernel::start(const TransactionInput& input) {
  awaiting_completion_ = false;
  cancelled_ = false;
  decision_.reset();
  cvm_ = CvmOutcome{};
  selected_ = Candidate{};
  ctx_ = std::make_unique<Context>(config_, input);
  if (auto r = ctx_->set_transaction_data(); !r) return r.error();
  requested_amount_ = input.amount;
  std::array<Byte, 4> unpredictable_number{};
  random_.fill(unpredictable_number);
  ctx_->terminal.set(0x9F37, unpredictable_number);
  return run();
}

KernelResult Kernel::finish(Outcome outcome, std::string reason) {
  KernelResult result;
  result.outcome = outcome;
  result.termination_reason = std::move(reason);
  result.cancelled = cancelled_;
  if (!result.termination_reason.empty()) {
    log::info(kComponent, name(outcome), ": ", result.termination_reason);
  }
  const Context& ctx = *ctx_;
  result.aid = Bytes(ctx.icc.get(0x84).value_or(ByteView{}).begin(),
                     ctx.icc.get(0x84).value_or(ByteView{}).end());
  result.label = selected_.display_name();
  result.tvr.assign(ctx.tvr.bytes().begin(), ctx.tvr.bytes().end());
  result.tsi.assign(ctx.tsi.bytes().begin(), ctx.tsi.bytes().end());
  result.cvm_results.assign(ctx.cvm_results.begin(), ctx.cvm_results.end());
  if (decision_) {
    result.cryptogram = decision_->cryptogram;
    result.advice_required = decision_->cid.advice_required;
  }
  result.online_tags = online_tags(ctx);
  if (const auto track2 = ctx.icc.get(0x57)) result.track2_equivalent = SecretBytes{*track2};
  result.pan = pan_of(ctx.icc);
  if (const auto psn = ctx.icc.get(0x5F34); psn && psn->size() == 1) result.pan_sequence_number = (*psn)[0];
  result.signature_required = cvm_.signature_required;
  result.online_pin = cvm_.online_pin;
  const auto scripts = ctx.terminal.get(0x9F5B).value_or(ByteView{});
  result.issuer_script_results.assign(scripts.begin(), scripts.end());
  return result;
}

// Book 1 12.3-12.4 and Book 3 10.1: candidate list, final selection, GET PROCESSING
// OPTIONS; a '6985' sends the kernel back to final selection without that application.
// nullopt when an application is ready for reading; a result when the session ends.
std::optional<KernelResult> Kernel::select_and_initiate() {
  Context& ctx = *ctx_;
  CandidateList list = build_candidate_list(ttl_, config_);
  switch (list.outcome) {
    case SelectionOutcome::selected:
      break;
    case SelectionOutcome::no_common_application:
      return finish(Outcome::fallback, list.reason);
    default:
      return finish(Outcome::terminated, std::string(name(list.outcome)) + ": " + list.reason);
  }
  while (true) {
    Selection selection = final_selection(ttl_, list.candidates, config_, ui_);
    if (selection.outcome != SelectionOutcome::selected) {
      cancelled_ = selection.outcome == SelectionOutcome::cancelled;
      return finish(Outcome::terminated, std::string(name(selection.outcome)) + ": " + selection.reason);
    }
    ctx.icc.clear();
    selected_ = selection.candidate;
    store_selected_application(ctx, selection);
    // The amount for this application, before GPO can carry it (PDOL) and before anything
    // else uses it (CVM conditions, floor limit, GENERATE AC).
    auto amount = ui_.amount_for(selection.candidate, requested_amount_);
    if (!amount) {
      cancelled_ = amount.error().code == Errc::cancelled;
      return finish(Outcome::terminated, "amount: " + amount.error().message);
    }
    if (auto r = ctx.set_amount(*amount); !r) return finish(Outcome::terminated, "amount: " + r.error().message);
    auto initiated = initiate_application_processing(ctx, ttl_);
    if (!initiated) return finish(Outcome::terminated, initiated.error().message);
    if (*initiated == InitiateOutcome::ok) return std::nullopt;
    std::erase_if(list.candidates, [&](const Candidate& c) { return c.adf_name == selection.candidate.adf_name; });
    ui_.message("NOT ACCEPTED");
  }
}

KernelResult Kernel::run() {
  auto atr = reader_.power_on();
  if (!atr) return finish(Outcome::fallback, "card mute at reset: " + atr.error().message);
  ttl_.options().protocol = protocol_from_atr(*atr);

  if (auto ended = select_and_initiate()) return std::move(*ended);
  Context& ctx = *ctx_;
  if (auto r = read_application_data(ctx, ttl_); !r) return finish(Outcome::terminated, r.error().message);
  if (auto r = offline_data_authentication(ctx, ttl_); !r) return finish(Outcome::terminated, r.error().message);
  if (auto r = processing_restrictions(ctx); !r) return finish(Outcome::terminated, r.error().message);
  auto cvm = cardholder_verification(ctx, ttl_, pin_pad_, ui_);
  if (!cvm) {
    cancelled_ = cvm.error().code == Errc::cancelled;
    return finish(Outcome::terminated, cvm.error().message);
  }
  cvm_ = std::move(*cvm);

  std::int64_t logged = 0;
  if (options_.transaction_log != nullptr) {
    if (const auto pan = pan_of(ctx.icc)) {
      const auto amount = options_.transaction_log->amount_authorised(*pan);
      if (amount && amount->currency() == config_.currency) logged = amount->minor_units();
    }
  }
  if (auto r = terminal_risk_management(ctx, ttl_, random_, logged); !r) {
    return finish(Outcome::terminated, r.error().message);
  }
  const CryptogramType requested = terminal_action_analysis(ctx);
  auto decision = card_action_analysis(ctx, ttl_, requested);
  if (!decision) return finish(Outcome::terminated, decision.error().message);
  decision_ = std::move(*decision);
  return after_first_generate_ac(*decision_);
}

KernelResult Kernel::after_first_generate_ac(const CardDecision& decision) {
  if (decision.cda_failed) {
    // Book 2 6.6.2: the cryptogram cannot be trusted; the transaction is declined offline.
    // An ARQC leaves the card waiting for a second GENERATE AC: close it with an AAC.
    if (decision.cryptogram == CryptogramType::arqc) {
      Bytes cdol2;
      (void)generate_application_cryptogram(*ctx_, ttl_, 0x8D, CryptogramType::aac, false, cdol2);
      ctx_->cdol2_data = std::move(cdol2);
    }
    return finish(Outcome::declined_offline, "CDA failed");
  }
  switch (decision.cryptogram) {
    case CryptogramType::tc:
      return finish(Outcome::approved_offline);
    case CryptogramType::aac:
      return finish(Outcome::declined_offline);
    case CryptogramType::arqc:
      awaiting_completion_ = true;
      return finish(Outcome::online_request);
  }
  return finish(Outcome::terminated, "unknown cryptogram type");
}

Result<KernelResult> Kernel::complete(const OnlineResponse& response) {
  if (!awaiting_completion_ || !ctx_) {
    return make_error(Errc::invalid_argument, "complete() without an online request pending");
  }
  awaiting_completion_ = false;
  auto completion = complete_transaction(*ctx_, ttl_, response);
  if (!completion) return finish(Outcome::terminated, completion.error().message);
  decision_ = completion->decision;
  const bool approved = completion->approved;
  std::string reason = completion->decision.cda_failed ? "CDA failed on the second GENERATE AC" : "";
  if (completion->host_reached) {
    return finish(approved ? Outcome::approved_online : Outcome::declined_online, std::move(reason));
  }
  return finish(approved ? Outcome::approved_offline : Outcome::declined_offline, std::move(reason));
}

}  // namespace tender::emv
