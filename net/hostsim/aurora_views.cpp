#include "net/hostsim/aurora_views.hpp"

#include <array>
#include <cstdio>
#include <string>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/api.hpp"

namespace tender::net::hostsim::aurora {
namespace {

IdName type_of(const Txn& t) {
  switch (t.type) {
    case TxnType::authorization: return kTypeAuthorization;
    case TxnType::refund: return kTypeRefund;
    case TxnType::credit: return kTypeRefundWithoutReference;
    default: return kTypeSale;
  }
}

// The mask RAW S1 shows: twelve '*' and the last four (L23 "************4512").
std::string masked_pan(const Txn& t) { return t.last4.empty() ? std::string() : "************" + t.last4; }

Json optional_text(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json details(const Txn& t, const OutcomeRow& row) {
  return Json{{"hostResponseCode", row.host_code},
              {"hostResponseMessage", row.host_message},
              {"hostResponseDefinition", row.definition},
              {"code", row.code},
              {"message", row.message},
              {"processorResponseCode", nullptr},
              {"authCode", optional_text(t.auth_code)},
              {"maskedPan", t.last4.empty() ? Json(nullptr) : Json(masked_pan(t))}};
}

Json avs() {  // RAW's own AVS object (E3); card-present: no address check is made (sim)
  return Json{{"actionId", 1},    {"action", "Allow"},       {"responseCode", "0"},
              {"groupId", 5},     {"group", "ValidGroup"},   {"resultId", 1},
              {"result", "Passed"},
              {"codeDescription", "Street Address and ZIP Code Match the information on file."}};
}

Json operation(IdName type, Json amount) {
  return Json{{"typeId", type.id}, {"type", type.name}, {"availableAmount", std::move(amount)}, {"suggestedTips", nullptr}};
}

// What can still be done (RAW S1/S9 availableOperations; the amounts are sim).
Json available_operations(const Txn& t) {
  Json ops = Json::array();
  const bool open = t.batch_id.empty();
  if (t.status == TxnStatus::authorized && open) {
    ops.push_back(operation(kTypeCapture, minor_to_decimal(t.authorized)));
    ops.push_back(operation(kTypeVoid, nullptr));
  } else if (t.status == TxnStatus::captured && open) {
    ops.push_back(operation(kTypeVoid, nullptr));
    if (t.type != TxnType::refund && t.type != TxnType::credit) ops.push_back(operation(kTypeTipAdjustment, nullptr));
  } else if (t.status == TxnStatus::settled && t.type != TxnType::refund && t.type != TxnType::credit) {
    ops.push_back(operation(kTypeRefund, minor_to_decimal(t.settled - t.refunded)));
  }
  return ops;
}

// The amounts a record shows (sim): a declined transaction shows what was asked; an approved
// one what it holds: the authorized base, or the captured base once captured.
struct Amounts {
  std::int64_t base, discount, surcharge, tip, total;
};
Amounts amounts_of(const Txn& t) {
  std::int64_t base = t.captured;
  if (t.status == TxnStatus::declined) base = t.requested;
  else if (t.status == TxnStatus::authorized || (t.status == TxnStatus::voided && t.captured == 0)) base = t.authorized;
  return {base, t.discount, t.surcharge, t.tip, base - t.discount + t.surcharge + t.tip};
}

}  // namespace

IdName status_view(const Txn& t) {
  if (t.status == TxnStatus::authorized && t.outcome == Outcome::partial) return kPartiallyAuthorized;
  return status_of(t.status);
}

std::string client_uuid(std::string_view client_id) {
  const std::uint64_t h = fnv1a(client_id);
  char buf[40];
  std::snprintf(buf, sizeof buf, "c11e0000-0000-4000-8000-%012llx", static_cast<unsigned long long>(h & 0xFFFFFFFFFFFFULL));
  return buf;
}

Json source_of(const Txn& t) {
  const IdName method = t.create_method == kCreatedByPortal.id     ? kCreatedByPortal
                        : t.create_method == kCreatedByTerminal.id ? kCreatedByTerminal
                                                                   : kCreatedByApiToken;
  return Json{{"typeId", t.create_method != 0 ? t.create_method : method.id},
              {"type", method.name},
              {"id", client_uuid(t.created_by)},
              {"name", t.created_by}};
}

Json authorization_result(const Txn& txn, IdName type, std::optional<IdName> shown, bool issuer_tags) {
  const bool ok = txn.outcome == Outcome::approved || txn.outcome == Outcome::partial;
  const IdName status = shown.value_or(status_view(txn));
  Json body{{"processedAmount", minor_to_decimal(ok ? amounts_of(txn).total : 0)},
            {"avsResponse", avs()},
            {"transactionId", txn.id},
            {"transactionDateTime", txn.created_at},
            {"typeId", type.id},
            {"type", type.name},
            {"statusId", status.id},
            {"status", status.name}};
  // Pending: the processor has not decided, so no decision details (sim).
  body["details"] = shown ? Json(nullptr) : details(txn, outcome_row(txn.outcome));
  if (issuer_tags && !txn.emv_response_hex.empty()) body["emvTags"] = txn.emv_response_hex;
  return body;
}

Json operation_result(const Txn& txn, IdName type, std::string_view date_time) {
  const IdName status = status_view(txn);
  return Json{{"transactionId", txn.id},
              {"transactionDateTime", date_time},
              {"typeId", type.id},
              {"type", type.name},
              {"statusId", status.id},
              {"status", status.name},
              {"details", details(txn, kOperationOk)}};
}

Json detail(const Txn& t) {
  const Amounts a = amounts_of(t);
  const IdName type = type_of(t);
  const IdName status = status_view(t);
  const auto source = static_cast<std::size_t>(t.card_data_source);
  // RAW S9 keeps baseAmount/totalAmount at the top too (the SDK marks them deprecated); the
  // schema's amounts are under amount{...} (IOS L773 AmountIsvDto, no tax fields).
  return Json{
      {"baseAmount", minor_to_decimal(a.base)},
      {"totalAmount", minor_to_decimal(a.total)},
      {"transactionId", t.id},
      {"transactionDateTime", t.created_at},
      {"amount",
       {{"baseAmount", minor_to_decimal(a.base)}, {"percentageOffAmount", minor_to_decimal(a.discount)},
        {"percentageOffRate", 0}, {"cashDiscountAmount", 0}, {"cashDiscountRate", 0},
        {"surchargeAmount", minor_to_decimal(a.surcharge)}, {"surchargeRate", 0}, {"tipAmount", minor_to_decimal(a.tip)},
        {"tipRate", 0}, {"totalAmount", minor_to_decimal(a.total)}}},
      {"currencyId", kUsdCurrencyId},
      {"currency", "USD"},
      {"processorId", t.owner},
      {"processor", "Tender Host Simulator"},
      {"paymentMethodTypeId", 1},
      {"paymentMethodType", "Card"},
      {"transactionTypeId", type.id},
      {"transactionType", type.name},
      {"customerPan", masked_pan(t)},
      {"statusId", status.id},
      {"status", status.name},
      {"authCode", optional_text(t.auth_code)},
      {"source", source_of(t)},
      {"cardDataSourceId", source < kCardDataSourceNames.size() && source > 0 ? Json(t.card_data_source) : Json(nullptr)},
      {"cardDataSource", source < kCardDataSourceNames.size() && source > 0 ? Json(kCardDataSourceNames[source]) : Json(nullptr)},
      {"responseCode", outcome_row(t.outcome).host_code},
      {"responseDescription", outcome_row(t.outcome).definition},
      {"availableOperations", available_operations(t)},
      // IOS L4736 emvTags: EmvTagsIsvDto {ac, tvr, tsi, aid, applicationLabel, rawTags} (L3631):
      // the chip data of the request as the host keeps it; null for a card read otherwise.
      {"emvTags", t.emv_ac.empty() ? Json(nullptr)
                                   : Json{{"ac", t.emv_ac}, {"tvr", optional_text(t.emv_tvr)}, {"tsi", nullptr},
                                          {"aid", optional_text(t.emv_aid)}, {"applicationLabel", nullptr},
                                          {"rawTags", Json::array()}}},
  };
}

Json list_item(const Txn& t) {
  const Amounts a = amounts_of(t);
  const IdName type = type_of(t);
  const IdName status = status_view(t);
  return Json{{"id", t.id},
              {"paymentProcessorId", t.owner},
              {"date", t.created_at},
              {"baseAmount", minor_to_decimal(a.base)},
              {"totalAmount", minor_to_decimal(a.total)},
              {"surchargeAmount", minor_to_decimal(a.surcharge)},
              {"surchargePercentage", 0},
              {"currencyCode", "USD"},
              {"currencyId", nullptr},
              {"paymentMethodType", "Card"},
              {"paymentMethodTypeId", 1},
              {"customerPan", masked_pan(t)},
              {"status", status.name},
              {"statusId", status.id},
              {"typeId", type.id},
              {"type", type.name},
              {"batchId", optional_text(t.batch_id)},
              {"source", source_of(t)},
              {"availableOperations", available_operations(t)},
              {"amount", nullptr}};  // RAW S1 shows null here
}

Json batch_item(const Batch& b, std::int64_t sales, std::int64_t refunds) {
  return Json{{"id", b.id},
              {"paymentProcessorId", b.owner},
              {"paymentProcessorName", nullptr},
              {"externalBatchId", nullptr},
              {"batchDateTime", b.created_at},
              {"transactionCount", b.count},
              {"netAmount", minor_to_decimal(sales - refunds)},
              {"refundsAmount", minor_to_decimal(refunds)},
              {"salesAmount", minor_to_decimal(sales)},
              {"statusId", kBatchSettled.id},
              {"statusName", kBatchSettled.name}};
}

Json error_body(int status, std::string_view details_text, std::string_view correlation_id, Json errors) {
  struct Kind {
    int status;
    std::string_view exception;
    std::string_view code;
  };
  // exceptionType and errorCode values are sim (the schema shows strings only).
  static constexpr std::array<Kind, 4> kKinds = {{
      {400, "ValidationException", "ValidationFailed"},
      {401, "UnauthorizedAccessException", "Unauthorized"},
      {404, "NotFoundException", "NotFound"},
      {500, "InternalServerErrorException", "InternalError"},
  }};
  Kind k = kKinds[3];
  for (const auto& row : kKinds)
    if (row.status == status) k = row;
  Json body{{"details", details_text}, {"statusCode", status},     {"source", nullptr},
            {"exceptionType", k.exception}, {"correlationId", correlation_id}, {"entityId", nullptr},
            {"errorCode", k.code}};
  if (!errors.is_null()) body["errors"] = std::move(errors);
  return body;
}

}  // namespace tender::net::hostsim::aurora
