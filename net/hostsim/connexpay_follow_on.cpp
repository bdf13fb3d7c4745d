// ConnexPay: what follows a payment. Capture (a new sale), void (a sale, an AuthOnly or a
// return, before settlement), return (after settlement), timeout reversal (the sale a device's
// SequenceNumber names) and batch close. The money rules are the Ledger's (ledger.hpp); each
// refusal is a row of kRules, chosen here in the document's order of checks.
#include <algorithm>
#include <array>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/connexpay_api.hpp"
#include "net/hostsim/connexpay_request.hpp"
#include "net/hostsim/connexpay_views.hpp"
#include "net/hostsim/decision.hpp"

namespace tender::net::hostsim {
namespace {

using namespace connexpay;

bool settled(const Txn& t) {
  return !t.batch_id.empty() || t.status == TxnStatus::settled || t.status == TxnStatus::refunded;
}

// The void's target field and the record type it must name.
struct VoidTarget {
  std::string_view field;
  TxnType type;
  Rule not_processed;
};
constexpr std::array<VoidTarget, 3> kVoidTargets = {{
    {kSaleGuid, TxnType::sale, Rule::void_sale_not_processed},
    {kAuthOnlyGuid, TxnType::authorization, Rule::void_auth_not_processed},
    {kReturnGuid, TxnType::refund, Rule::void_return_not_processed},
}};

bool present(const Json& body, std::string_view key) {
  const Json* v = member(body, key);
  return v != nullptr && !v->is_null() && !(v->is_string() && v->get_ref<const std::string&>().empty());
}

std::optional<std::string> text(const Json& body, std::string_view key) {
  bool ok = true;
  auto v = string_member(body, key, ok);
  return ok ? v : std::nullopt;
}

}  // namespace

// POST /api/v1/Captures {DeviceGuid, AuthOnlyGuid, NewAmount?} [E H L2083-L2267]: creates a
// NEW sale (H relatedSale, V1/C2 sale); later voids and returns target that sale's guid.
ApiReply ConnexPayApi::capture(const Json& body) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  const auto auth_guid = text(body, kAuthOnlyGuid).value_or("");
  const Txn* auth = auth_guid.empty() ? nullptr : ledger_.find(auth_guid);
  // [SIM] a declined or voided AuthOnly has no "matching results" either.
  if (auth == nullptr || auth->type != TxnType::authorization || !approved(auth->outcome) ||
      auth->status == TxnStatus::voided)
    return refuse(Rule::capture_no_match);
  if (!auth->related_id.empty()) return refuse(Rule::capture_twice);
  const auto new_amount = amount_member(body, kNewAmount);
  if (!new_amount) return bad_request(kNewAmount, "Could not convert to decimal.");
  const std::int64_t amount = new_amount->value_or(auth->authorized);
  if (*new_amount) {
    if (const auto rule = amount_rule(amount, Rule::capture_amount_not_positive)) return refuse(*rule);
  }
  // The Ledger's rule (capture <= authorized), answered with the processor's row [I].
  if (amount > auth->authorized) return refuse(Rule::capture_over_authorized);
  const std::string auth_id = auth->id;  // records below may move the ledger's storage

  Txn sale;
  sale.type = TxnType::sale;
  sale.status = TxnStatus::captured;
  sale.outcome = Outcome::approved;
  sale.requested = sale.authorized = sale.captured = amount;
  sale.owner = *device;  // [SIM] the capturing device's batch settles it
  sale.parent_id = auth_id;
  sale.first6 = auth->first6;
  sale.last4 = auth->last4;
  sale.expiry_mmyy = auth->expiry_mmyy;
  sale.card_data_source = auth->card_data_source;
  sale.auth_code = auth->auth_code;
  sale.reference = text(body, kOrderNumber).value_or(auth->reference);
  sale.sequence_number = text(body, kSequenceNumber).value_or("");
  const std::string sale_id = ledger_.record(std::move(sale)).id;

  Txn capture;
  capture.type = TxnType::capture;
  capture.status = TxnStatus::authorized;  // the answer object: holds no money, never settles
  capture.outcome = Outcome::approved;
  capture.requested = amount;
  capture.owner = *device;
  capture.parent_id = auth_id;
  capture.related_id = sale_id;
  Txn& recorded = ledger_.record(std::move(capture));
  const std::string capture_id = recorded.id;

  Txn* captured_auth = ledger_.find(auth_id);
  captured_auth->related_id = sale_id;
  captured_auth->captured = amount;
  ledger_.persist(*captured_auth);
  Txn* new_sale = ledger_.find(sale_id);
  new_sale->related_id = capture_id;
  ledger_.persist(*new_sale);
  return {json_response(kOk, view(*ledger_.find(capture_id))), {}};
}

// POST /api/v1/void {DeviceGuid, SaleGuid|AuthOnlyGuid|ReturnGuid, VoidReason} -> 201 [E H
// L2570-L2756, V1]. The whole transaction: [SIM] V1's partial Amount is not applied.
ApiReply ConnexPayApi::void_transaction(const Json& body) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  std::size_t named = 0;
  const VoidTarget* target = nullptr;
  for (const VoidTarget& t : kVoidTargets)
    if (present(body, t.field)) {
      ++named;
      target = &t;
    }
  for (const std::string_view reference : kVoidReferenceNumbers) named += present(body, reference) ? 1 : 0;
  if (named == 0) return refuse(Rule::void_none);
  if (named > 1) return refuse(Rule::void_many);
  // [SIM] lookups by reference number are not served: such a void finds nothing.
  if (target == nullptr) return refuse(Rule::void_not_found);
  const auto reason = text(body, kVoidReason);
  if (present(body, kVoidReason) && (!reason || std::find(kVoidReasons.begin(), kVoidReasons.end(), *reason) == kVoidReasons.end()))
    return bad_request(kVoidReason, "The value is not valid.");
  Txn* txn = ledger_.find(text(body, target->field).value_or(""));
  if (txn == nullptr || txn->type != target->type) return refuse(Rule::void_not_found);
  if (!approved(txn->outcome)) return refuse(target->not_processed);
  if (txn->type == TxnType::authorization && !txn->related_id.empty()) return refuse(Rule::void_auth_captured);
  if (txn->status == TxnStatus::voided) return refuse(Rule::void_again);
  if (settled(*txn)) return refuse(Rule::void_settled);
  // F9915: a chip transaction's void names its reason. A captured sale inherits the AuthOnly's.
  if (is_chip(static_cast<Source>(txn->card_data_source)) && !reason) return refuse(Rule::void_reason_chip);
  if (auto done = ledger_.void_transaction(*txn); !done) return refuse(Rule::void_settled);
  if (txn->type == TxnType::refund) {
    // The returned money is the sale's again.
    if (Txn* sale = ledger_.find(txn->parent_id); sale != nullptr) {
      sale->refunded -= txn->requested;
      if (sale->status == TxnStatus::refunded) sale->status = TxnStatus::settled;
      ledger_.persist(*sale);
    }
  }
  Txn record;
  record.type = TxnType::void_record;
  record.status = TxnStatus::authorized;  // the answer object: holds no money, never settles
  record.outcome = Outcome::approved;
  record.requested = txn->type == TxnType::refund ? txn->requested : txn->authorized;
  record.owner = *device;
  record.parent_id = txn->id;
  record.first6 = txn->first6;
  record.last4 = txn->last4;
  record.expiry_mmyy = txn->expiry_mmyy;
  record.card_data_source = txn->card_data_source;
  record.auth_code = txn->auth_code;
  record.void_reason = reason.value_or("");
  record.sequence_number = text(body, kSequenceNumber).value_or("");
  record.reference = text(body, kOrderNumber).value_or("");
  Txn& recorded = ledger_.record(std::move(record));
  return {json_response(kCreated, view(recorded)), {}};
}

// POST /api/v1/returns {DeviceGuid, SaleGuid, Amount} [E H L3035-L3210]: after settlement
// only, within 180 days, all returns together at most the sale's amount (H L6366-L6372).
ApiReply ConnexPayApi::return_sale(const Json& body) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  const auto sale_guid = text(body, kSaleGuid);
  if (!present(body, kSaleGuid) && !present(body, "SaleReferenceNumber")) return refuse(Rule::return_no_sale);
  const auto amount = amount_member(body, kAmount);
  if (!amount) return bad_request(kAmount, "Could not convert to decimal.");
  if (!*amount) return bad_request(kAmount, "The Amount field is required.");
  if (**amount <= 0) return refuse(Rule::return_not_positive);
  if (const auto rule = amount_rule(**amount)) return refuse(*rule);
  // [SIM] lookups by SaleReferenceNumber are not served.
  Txn* sale = sale_guid ? ledger_.find(*sale_guid) : nullptr;
  if (sale == nullptr || sale->type != TxnType::sale) return refuse(Rule::return_sale_unknown);
  if (!approved(sale->outcome)) return refuse(Rule::return_not_allowed);
  if (sale->status == TxnStatus::voided) return refuse(Rule::return_voided);
  if (!settled(*sale)) return refuse(Rule::return_not_settled);
  const auto at = parse_time(sale->created_at);
  if (at && services_.clock->now() - *at > kReturnWindow) return refuse(Rule::return_too_old);
  if (**amount > sale->settled - sale->refunded) return refuse(Rule::return_exceeded);
  std::optional<Script> script = services_.scripts ? services_.scripts(**amount) : std::nullopt;
  if (script && script->behaviour == Behaviour::error_500) return {server_error(), {}};
  auto done = ledger_.refund(*sale, **amount);
  if (!done) return refuse(Rule::return_exceeded);
  Txn& refund = **done;
  refund.owner = *device;
  refund.card_data_source = static_cast<std::int64_t>(Source::internet);  // [SIM] no card is read
  refund.sequence_number = text(body, kSequenceNumber).value_or("");
  refund.reference = text(body, kOrderNumber).value_or("");
  ledger_.persist(refund);
  // [SIM] A return is not sent to the issuer: card outcomes do not apply; transport ones do.
  std::optional<Script> transport;
  if (script && !is_card_outcome(script->behaviour)) transport = script;
  return {json_response(kOk, view(refund)), transport};
}

// POST /api/v1/timeoutreversal {DeviceGuid, SequenceNumber} [E H L1503-L1611]: the SALE this
// device made with that SequenceNumber, voided if it was approved and is not settled.
ApiReply ConnexPayApi::timeout_reversal(const Json& body) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  const auto sequence = text(body, kSequenceNumber).value_or("");
  // [SIM] no SequenceNumber finds nothing. Another device's sale with the same number is not
  // this device's combination: never found from here.
  const auto sales = ledger_.select([&](const Txn& t) {
    return t.type == TxnType::sale && t.parent_id.empty() && !sequence.empty() && t.owner == *device &&
           t.sequence_number == sequence;
  });
  if (sales.empty()) return refuse(Rule::reversal_not_found);
  Txn* sale = ledger_.find(sales.back()->id);
  const http::Response done = json_response(kOk, Json(std::string(kTimeoutReversalDone)));
  // [SIM] a declined sale: nothing to void, the void's own refusal. An already voided one (a
  // repeated reversal): the same answer again, so a terminal may retry until it hears one.
  if (!approved(sale->outcome)) return refuse(Rule::void_sale_not_processed);
  if (sale->status == TxnStatus::voided) return {done, {}};
  if (settled(*sale)) return refuse(Rule::void_settled);
  if (auto voided = ledger_.void_transaction(*sale); !voided) return refuse(Rule::void_settled);
  Txn record;
  record.type = TxnType::void_record;
  record.status = TxnStatus::authorized;
  record.outcome = Outcome::approved;
  record.requested = sale->authorized;
  record.owner = *device;
  record.parent_id = sale->id;
  record.first6 = sale->first6;
  record.last4 = sale->last4;
  record.expiry_mmyy = sale->expiry_mmyy;
  record.card_data_source = sale->card_data_source;
  record.auth_code = sale->auth_code;
  record.void_reason = std::string(kTimeoutVoidReason);
  record.sequence_number = sequence;
  ledger_.record(std::move(record));
  return {done, {}};
}

// POST /api/v1/Batches/close {DeviceGuid} [E H L3924-L4045]: [SIM] settles this device's open
// batch (H does not say device or merchant account); an empty batch closes too (PASS).
ApiReply ConnexPayApi::batch_close(const Json& body) {
  std::optional<Rule> refused;
  const auto device = device_of(body, refused);
  if (!device) return refuse(*refused);
  const Batch batch = ledger_.settle(*device);
  BatchTotals totals;
  for (const Txn* t : ledger_.select([&](const Txn& t) { return t.batch_id == batch.id; })) {
    if (t->type == TxnType::refund) {
      ++totals.return_count;
      totals.return_amount += t->settled;
    } else {
      ++totals.sale_count;
      totals.sale_amount += t->settled;
    }
  }
  return {json_response(kOk, batch_close_body(batch, *device, totals)), {}};
}

}  // namespace tender::net::hostsim
