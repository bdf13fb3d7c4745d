#include "net/hostsim/aurora_views.hpp"

#include <array>
#include <string>

#include "net/hostsim/amounts.hpp"

namespace tender::net::hostsim::aurora {
namespace {

IdName type_of(const Txn& t) {
  switch (t.type) {
    case TxnType::authorization: return kTypeAuthorization;
    case TxnType::refund: return kTypeReturn;
    default: return kTypeSale;
  }
}

std::string masked_pan(const Txn& t) { return t.last4.empty() ? std::string() : "************" + t.last4; }

Json details(const Txn& t, const OutcomeRow& row) {
  return Json{{"hostResponseCode", row.host_code},
              {"hostResponseMessage", row.host_message},
              {"hostResponseDefinition", row.definition},
              {"code", row.code},
              {"message", row.message},
              {"processorResponseCode", nullptr},
              {"authCode", t.auth_code.empty() ? Json(nullptr) : Json(t.auth_code)},
              {"maskedPan", t.last4.empty() ? Json(nullptr) : Json(masked_pan(t))}};
}

Json avs() {  // the document's own AVS object (card-present: no address check is made)
  return Json{{"actionId", 1},    {"action", "Allow"},       {"responseCode", "0"},
              {"groupId", 5},     {"group", "ValidGroup"},   {"resultId", 1},
              {"result", "Passed"},
              {"codeDescription", "Street Address and ZIP Code Match the information on file."}};
}

Json operation(int type_id, std::string_view type, std::int64_t amount) {
  return Json{{"typeId", type_id}, {"type", type}, {"availableAmount", minor_to_decimal(amount)},
              {"suggestedTips", nullptr}};
}

Json available_operations(const Txn& t) {
  Json ops = Json::array();
  const bool open = t.batch_id.empty();
  if (t.status == TxnStatus::authorized && open) {
    ops.push_back(operation(kTypeCapture.id, kTypeCapture.name, t.authorized));
    ops.push_back(operation(kTypeVoid.id, kTypeVoid.name, t.authorized));
  } else if (t.status == TxnStatus::captured && open) {
    ops.push_back(operation(kTypeVoid.id, kTypeVoid.name, t.captured + t.tip));
    if (t.type != TxnType::refund)
      ops.push_back(operation(kTypeTipAdjustment.id, kTypeTipAdjustment.name, t.captured));
  } else if (t.status == TxnStatus::settled && t.type != TxnType::refund) {
    ops.push_back(operation(kTypeReturn.id, kTypeReturn.name, t.settled - t.refunded));
  }
  return ops;
}

std::int64_t base_of(const Txn& t) {
  return t.status == TxnStatus::authorized || t.status == TxnStatus::declined ? t.authorized : t.captured;
}

}  // namespace

Json authorization_result(const Txn& txn, IdName type) {
  const bool ok = txn.outcome == Outcome::approved || txn.outcome == Outcome::partial;
  Json body{{"processedAmount", minor_to_decimal(ok ? txn.authorized + txn.tip : 0)},
            {"avsResponse", avs()},
            {"transactionId", txn.id},
            {"transactionDateTime", txn.created_at},
            {"typeId", type.id},
            {"type", type.name},
            {"statusId", status_of(txn.status).id},
            {"status", status_of(txn.status).name},
            {"details", details(txn, outcome_row(txn.outcome))}};
  // Simulator extension: the issuer's EMV response tags (8A, 91, 71/72) as hex, because the
  // document's result has no field for them and a chip terminal needs them.
  if (!txn.emv_response_hex.empty()) body["emvTags"] = txn.emv_response_hex;
  return body;
}

Json operation_result(const Txn& txn, IdName type, std::string_view date_time) {
  return Json{{"transactionId", txn.id},
              {"transactionDateTime", date_time},
              {"typeId", type.id},
              {"type", type.name},
              {"statusId", status_of(txn.status).id},
              {"status", status_of(txn.status).name},
              {"details", details(txn, kOperationOk)}};
}

Json detail(const Txn& t) {
  const std::int64_t base = base_of(t);
  const std::int64_t total = base + t.tip;
  const IdName type = type_of(t);
  return Json{
      {"baseAmount", minor_to_decimal(base)},
      {"totalAmount", minor_to_decimal(total)},
      {"transactionId", t.id},
      {"transactionDateTime", t.created_at},
      {"amount",
       {{"baseAmount", minor_to_decimal(base)}, {"percentageOffAmount", 0}, {"percentageOffRate", 0},
        {"cashDiscountAmount", 0}, {"cashDiscountRate", 0}, {"surchargeAmount", 0}, {"surchargeRate", 0},
        {"tipAmount", minor_to_decimal(t.tip)}, {"tipRate", 0}, {"totalAmount", minor_to_decimal(total)}}},
      {"currencyId", kUsdCurrencyId},
      {"currency", "USD"},
      {"processorId", t.owner},
      {"processor", "Tender Host Simulator"},
      {"paymentMethodTypeId", 1},
      {"paymentMethodType", "Card"},
      {"transactionTypeId", type.id},
      {"transactionType", type.name},
      {"customerPan", masked_pan(t)},
      {"statusId", status_of(t.status).id},
      {"status", status_of(t.status).name},
      {"authCode", t.auth_code},
      {"responseCode", outcome_row(t.outcome).host_code},
      {"responseDescription", outcome_row(t.outcome).definition},
      {"availableOperations", available_operations(t)},
      // Simulator extensions (not in the document): the batch and the client's reference.
      {"batchId", t.batch_id.empty() ? Json(nullptr) : Json(t.batch_id)},
      {"referenceId", t.reference.empty() ? Json(nullptr) : Json(t.reference)},
  };
}

Json list_item(const Txn& t) {
  const std::int64_t base = base_of(t);
  return Json{{"id", t.id},
              {"paymentProcessorId", t.owner},
              {"date", t.created_at},
              {"baseAmount", minor_to_decimal(base)},
              {"totalAmount", minor_to_decimal(base + t.tip)},
              {"surchargeAmount", 0},
              {"surchargePercentage", 0},
              {"currencyCode", "USD"},
              {"currencyId", nullptr},
              {"paymentMethodType", "Card"},
              {"paymentMethodTypeId", 1},
              {"customerPan", masked_pan(t)},
              {"status", status_of(t.status).name},
              {"statusId", status_of(t.status).id},
              {"batchId", t.batch_id.empty() ? Json(nullptr) : Json(t.batch_id)},
              {"availableOperations", available_operations(t)},
              {"amount", nullptr}};
}

Json error_body(int status, std::string_view details_text) {
  struct Title {
    int status;
    std::string_view title;
    std::string_view exception;
  };
  static constexpr std::array<Title, 4> kTitles = {{
      {400, "Bad Request", "ValidationException"},
      {401, "Unauthorized", "UnauthorizedAccessException"},
      {404, "Not Found", "NotFoundException"},
      {500, "Server Error", "InternalServerErrorException"},
  }};
  Title t = kTitles[3];
  for (const auto& row : kTitles)
    if (row.status == status) t = row;
  return Json{{"title", t.title}, {"status", status}, {"details", details_text}, {"exceptionType", t.exception}};
}

}  // namespace tender::net::hostsim::aurora
