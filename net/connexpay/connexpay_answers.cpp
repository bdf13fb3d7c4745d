// Answers: ConnexPay v1 JSON -> host-neutral values. The verdict rule is C1's, the one client
// that reads both fields [E research §10]: approved when `status` is Approved (or Approved -
// Warning) AND `wasProcessed` is true; declined when the status is Declined; anything else
// (Created - Local, Processor not reached, 3DS pending, an approval not processed) cannot be
// believed either way and is Outcome::unknown, so a money-moving request is recovered.
#include <utility>

#include "net/connexpay/connexpay_mapping.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::connexpay {
namespace {

namespace a = api::answer;
using host::Json;
using host::Outcome;

const Json* member(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(name));
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text_of(const Json& object, std::string_view name) {
  const Json* v = member(object, name);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

Result<std::optional<Money>> money_of(const Json& object, std::string_view name, Currency currency) {
  const Json* v = member(object, name);
  if (!v) return std::optional<Money>{};
  auto money = host::money_from_json(*v, host::AmountUnit::decimal, currency, name);
  if (!money) return std::move(money).error();
  return std::optional<Money>{*money};
}

// refNumber is printed for the customer: digits only, bounded; anything else is dropped
// (host_answer.hpp's rule for host text: a field of the wrong shape is never printed).
std::string receipt_reference_of(const Json& tx) {
  std::string ref = text_of(tx, a::kRefNumber);
  if (ref.empty() || ref.size() > 20) return {};
  for (char c : ref) {
    if (c < '0' || c > '9') return {};
  }
  return ref;
}

Outcome verdict(const Json& tx) {
  const std::string status = text_of(tx, a::kStatus);
  const Json* processed = member(tx, a::kWasProcessed);
  const bool was_processed = processed && processed->is_boolean() && processed->get<bool>();
  if ((status == api::kApproved || status == api::kApprovedWarning) && was_processed) {
    return text_of(tx, a::kProcessorStatusCode) == api::kPartialCode ? Outcome::partially_approved : Outcome::approved;
  }
  if (status == api::kDeclined) return Outcome::declined;
  return Outcome::unknown;
}

// The issuer's answer for the chip, when the host sends it (WIRE.md [I]); never required, and
// hex that does not decode is ignored rather than failing an approval the host gave.
Bytes issuer_tlv_of(const Json& tx) {
  const std::string hex = text_of(tx, a::kEmvTags);
  if (hex.empty()) return {};
  auto bytes = from_hex(hex);
  return bytes ? std::move(*bytes) : Bytes{};
}

Result<host::HostResult> transaction_of(const Json& tx, Currency currency, TxKind kind) {
  if (!tx.is_object()) return make_error(Errc::malformed, "ConnexPay answer is not an object");
  auto guid = host::string_field(tx, a::kGuid);
  if (!guid) return std::move(guid).error();
  // The guid becomes a path segment of later calls: only a UUID is taken.
  if (!is_uuid(*guid)) return make_error(Errc::malformed, "ConnexPay guid is not a UUID");
  host::HostResult result;
  result.host_reference = host_reference_for(kind, *guid);
  result.outcome = verdict(tx);
  result.auth_code = text_of(tx, a::kAuthCode);
  result.response_code = text_of(tx, a::kProcessorStatusCode);
  result.response_message = text_of(tx, a::kProcessorResponseMessage);
  if (result.response_message.empty()) result.response_message = text_of(tx, a::kStatus);
  result.receipt_reference = receipt_reference_of(tx);
  result.issuer_response_tlv = issuer_tlv_of(tx);
  if (result.outcome == Outcome::approved || result.outcome == Outcome::partially_approved) {
    // A0002: the approved amount is `amount` [I research §10]; absent, what was asked.
    auto amount = money_of(tx, a::kAmount, currency);
    if (!amount) return std::move(amount).error();
    result.approved_amount = *amount;
  }
  return result;
}

}  // namespace

Result<host::HostResult> parse_transaction(std::string_view body, Currency currency, TxKind kind) {
  auto json = host::parse_json(body);
  if (!json) return std::move(json).error();
  return transaction_of(*json, currency, kind);
}

Result<host::HostResult> parse_capture(std::string_view body, Currency currency) {
  auto json = host::parse_json(body);
  if (!json) return std::move(json).error();
  auto capture = transaction_of(*json, currency, TxKind::sale);
  if (!capture) return capture;
  // The new sale: `sale` (V1, C2) or `relatedSale` (H L2219). Without it an approved capture
  // names nothing a void or return could target: malformed (recovered like a lost answer).
  const Json* sale = member(*json, a::kSale);
  if (!sale) sale = member(*json, a::kRelatedSale);
  const std::string sale_guid = sale ? text_of(*sale, a::kGuid) : std::string();
  const bool approved = capture->outcome == Outcome::approved || capture->outcome == Outcome::partially_approved;
  if (approved) {
    if (!is_uuid(sale_guid)) return make_error(Errc::malformed, "ConnexPay capture names no new sale");
    capture->host_reference = host_reference_for(TxKind::sale, sale_guid);
    // The captured amount: the new sale's, else newAmount / effectiveAmount of the capture.
    auto amount = money_of(*sale, a::kAmount, currency);
    if (!amount) return std::move(amount).error();
    if (!*amount) amount = money_of(*json, a::kNewAmount, currency);
    if (!amount) return std::move(amount).error();
    if (*amount) capture->approved_amount = *amount;
    // A capture moves what was authorized: A0002 on it is the AuthOnly's history, not a partial.
    capture->outcome = Outcome::approved;
    if (capture->receipt_reference.empty()) capture->receipt_reference = receipt_reference_of(*sale);
  } else if (is_uuid(sale_guid)) {
    capture->host_reference = host_reference_for(TxKind::sale, sale_guid);
  }
  return capture;
}

host::HostResult refused_answer(int status, std::string_view body) {
  host::HostResult result;
  result.outcome = host::outcome_for_http_status(status).value_or(Outcome::error);
  result.response_code = std::to_string(status);
  std::string message;
  if (auto json = host::parse_json(body); json && json->is_object()) message = text_of(*json, a::kMessage);
  // 422 "Error code D2005. Invalid Card." is the processor declining [E C1]: the D code and
  // its text. E/F codes are the host refusing the request (errors, nothing charged).
  if (status == 422 && message.rfind(api::kErrorCodePrefix, 0) == 0) {
    const std::string_view rest = std::string_view(message).substr(api::kErrorCodePrefix.size());
    const auto dot = rest.find('.');
    const std::string_view code = rest.substr(0, dot);
    const bool well_formed = code.size() == 5 && (code[0] == 'D' || code[0] == 'E' || code[0] == 'F');
    if (well_formed) {
      result.response_code = std::string(code);
      if (code[0] == 'D') result.outcome = Outcome::declined;
      std::string_view text = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
      while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      message = std::string(text);
    }
  }
  result.response_message = message.empty() ? "ConnexPay answered HTTP " + std::to_string(status) : message;
  return result;
}

namespace {

Result<Record> record_of(const Json& tx, Currency currency, TxKind kind) {
  auto result = transaction_of(tx, currency, kind);
  if (!result) return std::move(result).error();
  Record record;
  record.result = std::move(*result);
  record.guid = text_of(tx, a::kGuid);
  record.device_guid = text_of(tx, a::kDeviceGuid);
  record.batch_status = text_of(tx, a::kBatchStatus);
  record.order_number = text_of(tx, a::kOrderNumber);
  record.sale_guid = text_of(tx, a::kSaleGuid);
  auto amount = money_of(tx, a::kAmount, currency);
  auto effective = money_of(tx, a::kEffectiveAmount, currency);
  if (!amount || !effective) return make_error(Errc::malformed, "ConnexPay record amount is not a decimal");
  record.amount = *amount;
  record.effective_amount = *effective;
  const auto status = text_of(tx, a::kStatus);
  const bool approved_status = status == api::kApproved || status == api::kApprovedWarning;
  // effectiveAmount drops to 0 after a void or a return [E H L2680/L3145]; relatedVoid is set
  // on a voided AuthOnly [E H L5263].
  record.voided = member(tx, a::kRelatedVoid) != nullptr ||
                  (approved_status && record.effective_amount && record.effective_amount->minor_units() == 0);
  if (tx.is_object() && tx.contains(std::string(a::kRelatedCapture))) {
    record.capture_known = true;
    if (const Json* capture = member(tx, a::kRelatedCapture)) {
      record.related_capture_guid = capture->is_string() ? capture->get<std::string>() : text_of(*capture, a::kGuid);
    }
  }
  // A search row has no wasProcessed [E H L4778]: its status is the verdict there.
  if (record.result.outcome == Outcome::unknown && approved_status && !member(tx, a::kWasProcessed)) {
    record.result.outcome = Outcome::approved;
    record.result.approved_amount = record.amount;
  }
  return record;
}

}  // namespace

Result<Record> parse_record(std::string_view body, Currency currency, TxKind kind) {
  auto json = host::parse_json(body);
  if (!json) return std::move(json).error();
  return record_of(*json, currency, kind);
}

Result<std::vector<Record>> parse_search(int status, std::string_view body, Currency currency, TxKind kind) {
  if (status == 204 || body.find(api::kNoResult) != std::string_view::npos) return std::vector<Record>{};
  if (status < 200 || status >= 300) return make_error(Errc::io_error, "ConnexPay search answered HTTP " + std::to_string(status));
  auto json = host::parse_json(body);
  if (!json) return std::move(json).error();
  const Json* rows = member(*json, a::kRet);
  if (!rows) return std::vector<Record>{};  // {count: 0} with no ret
  if (!rows->is_array()) return make_error(Errc::malformed, "ConnexPay search ret is not an array");
  std::vector<Record> out;
  for (const Json& row : *rows) {
    auto record = record_of(row, currency, kind);
    if (!record) return std::move(record).error();
    out.push_back(std::move(*record));
  }
  return out;
}

Result<Token> parse_token(std::string_view body) {
  auto json = host::parse_json(body);
  if (!json) return std::move(json).error();
  auto token = host::string_field(*json, api::kAccessToken);
  if (!token || token->empty()) return make_error(Errc::malformed, "ConnexPay token answer has no access_token");
  Token out;
  out.access_token = SecretString(*token);
  if (const Json* expires = member(*json, api::kExpiresIn); expires && expires->is_number_integer()) {
    out.expires_in = expires->get<std::int64_t>();
  }
  return out;
}

host::SettleResult parse_batch_close(int status, std::string_view body) {
  host::SettleResult result;
  result.response_code = std::to_string(status);
  auto json = host::parse_json(body);
  if (!json || !json->is_object()) {
    result.response_message = "ConnexPay batch close answered HTTP " + std::to_string(status);
    return result;
  }
  const std::string code = text_of(*json, a::kResponseCode);
  if (!code.empty()) result.response_code = code;
  result.response_message = text_of(*json, a::kResponseMessage);
  if (result.response_message.empty()) result.response_message = text_of(*json, a::kMessage);
  // Accepted only as H shows it: status PASS and A0000 [I research §9].
  result.accepted = status >= 200 && status < 300 && text_of(*json, a::kStatus) == api::kBatchPass && code == api::kBatchSuccess;
  return result;
}

bool is_timeout_reversed(int status, std::string_view body) {
  if (status < 200 || status >= 300) return false;
  auto json = host::parse_json(body);
  return json && json->is_string() && json->get<std::string>() == api::kTimeoutReversed;
}

}  // namespace tender::net::connexpay
