// Aurora follow-ons (capture, void, tip adjustment, return, return without reference) and the
// batch settle. Lifecycle rules live in the Ledger; this file is the API's face on them.
#include "net/hostsim/amounts.hpp"
#include "net/hostsim/aurora_api.hpp"
#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/aurora_payment.hpp"
#include "net/hostsim/aurora_views.hpp"

namespace tender::net::hostsim {
namespace {

using namespace aurora;

// The body and its transaction, or why not (RAW L797: "Transaction Id is required").
struct Target {
  Json body;
  Txn* txn = nullptr;
  int status = 0;  // 0: found
  std::string_view why;
};

Target target_of(const http::Request& request, Ledger& ledger) {
  Target t;
  t.body = parse_object(request.body);
  if (t.body.is_discarded()) return {t.body, nullptr, 400, kMalformedJson};
  bool ok = true;
  const auto id = string_member(t.body, kTransactionId, ok);
  if (!ok || !id || id->empty()) return {t.body, nullptr, 400, kTransactionIdRequired};
  t.txn = ledger.find(*id);
  if (t.txn == nullptr) return {t.body, nullptr, 404, kNotFoundMessage};
  return t;
}

std::optional<std::int64_t> amount_member(const Json& body, std::string_view key, bool& bad) {
  const Json* v = member(body, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  auto amount = decimal_to_minor(*v);
  bad = !amount;
  return amount ? std::optional(*amount) : std::nullopt;
}

}  // namespace

// Capture: `amount` is required (IOS L1473 CaptureRequestDto, no `?`; AND's newer DTO makes
// it nullable: the simulator follows the stricter, so a client that omits it learns here).
ApiReply AuroraApi::capture(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.status != 0) return error(t.status, t.why);
  bool bad = false;
  const auto amount = amount_member(t.body, kAmount, bad);
  if (bad) return invalid("Amount", "The value is not valid for Amount.");
  if (!amount) return invalid("Amount", "The Amount field is required.");
  if (auto done = ledger_.capture(*t.txn, amount); !done) return error(400, done.error().message);
  return reply(200, operation_result(*t.txn, kTypeCapture, format_rfc3339(services_.clock->now())));
}

// Void: "an in-flight or same-day authorization or sale" (IOS swiftdoc voidTransaction). A
// settled transaction is refused with 400 (the documents name no code for it; the details
// text and errorCode "TransactionSettled" are sim: a client reads the record's status).
ApiReply AuroraApi::void_transaction(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.status != 0) return error(t.status, t.why);
  const bool settled = !t.txn->batch_id.empty() || t.txn->status == TxnStatus::settled;
  if (auto done = ledger_.void_transaction(*t.txn); !done) {
    ApiReply r = error(400, done.error().message);
    if (settled) {
      Json body = Json::parse(r.response.body, nullptr, false);
      body["errorCode"] = "TransactionSettled";
      r.response.body = dump(body);
    }
    return r;
  }
  return reply(200, operation_result(*t.txn, kTypeVoid, format_rfc3339(services_.clock->now())));
}

// Tip adjustment: both fields are optional in the schema (IOS L8960); sim refuses a request
// without a tip, which adjusts nothing.
ApiReply AuroraApi::tip_adjustment(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.status != 0) return error(t.status, t.why);
  bool bad = false;
  const auto tip = amount_member(t.body, kTipAmount, bad);
  if (bad) return invalid("TipAmount", "The value is not valid for TipAmount.");
  if (!tip) return invalid("TipAmount", "The TipAmount field is required.");
  if (auto done = ledger_.adjust_tip(*t.txn, *tip); !done) return error(400, done.error().message);
  return reply(200, operation_result(*t.txn, kTypeTipAdjustment, format_rfc3339(services_.clock->now())));
}

// Return: cardDataSource and transactionId are required (IOS L7865, AND @NotNull), 1..7; a
// null amount refunds "the remaining refundable balance" (IOS swiftdoc refundTransaction). The
// original identifies the card, so the card fields are accepted and not needed. A return is a
// new transaction (typeId 5 Refund) and answers the generic result (IOS L22314); its status is
// Captured until settled (sim).
ApiReply AuroraApi::refund(const http::Request& request) {
  Target t = target_of(request, ledger_);
  if (t.status != 0) return error(t.status, t.why);
  bool ok = true;
  const auto source = int_member(t.body, kCardDataSource, ok);
  if (!ok || (source && (*source < kCardDataSourceMin || *source > kCardDataSourceMax)))
    return invalid("CardDataSource", "The value is not valid for CardDataSource.");
  if (!source) return invalid("CardDataSource", "The CardDataSource field is required.");
  bool bad = false;
  const auto amount = amount_member(t.body, kAmount, bad);
  if (bad) return invalid("Amount", "The value is not valid for Amount.");
  std::optional<Script> script = services_.scripts ? services_.scripts(amount.value_or(0)) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
  auto done = ledger_.refund(*t.txn, amount);
  if (!done) return error(400, done.error().message);
  (*done)->card_data_source = *source;
  (*done)->created_by = config_.client_id;
  (*done)->create_method = kCreatedByApiToken.id;
  ledger_.persist(**done);
  ApiReply r = reply(200, operation_result(**done, kTypeRefund, (*done)->created_at));
  if (script && !is_card_outcome(script->behaviour)) r.transport = script;
  return r;
}

// Return without reference (IOS L22465, ReturnWORefRequestDto L7919): a credit to the card
// read now; required paymentProcessorId, currencyId, cardDataSource, debit. It answers the
// authorization result (typeId 7 RefundWORef). The issuer is not asked (sim): a credit is
// approved for a valid, unexpired card.
ApiReply AuroraApi::refund_without_reference(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return error(400, kMalformedJson);
  aurora::PaymentIn in;
  if (auto bad = read_payment(body, PaymentKind::refund_without_reference, in)) return invalid(bad->field, bad->message);
  std::optional<Script> script = services_.scripts ? services_.scripts(in.amount) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
  DecisionInput decision_in;
  decision_in.card = &in.card;
  decision_in.amount = in.amount;
  const Decision d = decide(decision_in, *services_.clock, Verifiers{});
  Txn txn = new_payment(in, d, TxnType::credit);
  txn.created_by = config_.client_id;
  txn.create_method = kCreatedByApiToken.id;
  Txn& recorded = ledger_.record(std::move(txn));
  ApiReply r = reply(200, authorization_result(recorded, kTypeRefundWithoutReference, std::nullopt, false));
  if (script && !is_card_outcome(script->behaviour)) r.transport = script;
  return r;
}

// Settle (IOS L22616; SettleRequestDto L8255: paymentProcessorId required; SettleResponseDto
// L8291: code 0 Approve / 1 Decline / 2 Error). Only captured transactions of that processor
// move; authorizations stay open; an empty batch settles too, and any processor id is known
// (sim).
ApiReply AuroraApi::settle(const http::Request& request) {
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return error(400, kMalformedJson);
  bool ok = true;
  const auto processor = string_member(body, kPaymentProcessorId, ok);
  if (!ok || !processor || processor->empty()) return invalid("PaymentProcessorId", "The PaymentProcessorId field is required.");
  const Batch batch = ledger_.settle(*processor);
  const std::string message = "Batch " + batch.id + " settled: " + std::to_string(batch.count) + " transactions";
  return reply(200, Json{{"code", kSettleApprove}, {"message", message}, {"processorResponseCode", "00"}});
}

}  // namespace tender::net::hostsim
