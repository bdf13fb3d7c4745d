#include "net/hostsim/fullstack_views.hpp"

#include <array>

#include "net/hostsim/fullstack_constants.hpp"

namespace tender::net::hostsim::fullstack {
namespace {

std::string_view card_type(std::string_view first6) {
  struct Brand {
    std::string_view prefix;
    std::string_view name;
  };
  static constexpr std::array<Brand, 7> kBrands = {{
      {"4", "visa"}, {"5", "mastercard"}, {"2", "mastercard"}, {"34", "amex"}, {"37", "amex"},
      {"6", "discover"}, {"35", "jcb"},
  }};
  std::string_view best = "unknown";
  std::size_t best_len = 0;
  for (const auto& b : kBrands)
    if (first6.starts_with(b.prefix) && b.prefix.size() > best_len) {
      best = b.name;
      best_len = b.prefix.size();
    }
  return best;
}

}  // namespace

http::Response envelope(int status, const Json& data, std::string_view msg) {
  return json_response(status, Json{{"status", kSuccess}, {"msg", msg}, {"data", data}});
}

http::Response list_envelope(const Json& data, std::size_t total_count) {
  return json_response(200, Json{{"status", kSuccess}, {"msg", kSuccess}, {"data", data}, {"total_count", total_count}});
}

http::Response failure(int status, std::string_view msg) {
  return json_response(status, Json{{"status", kFailed}, {"msg", msg}});
}

namespace {

// The processor's details of the payment (response_body.card / .terminal).
Json payment_details(const Txn& t, bool ok, int code) {
  const CodeRow& row = code_of(t.outcome);
  std::string text = std::string(row.processor_text);
  if (ok && !t.auth_code.empty()) text += " " + t.auth_code;
  const bool gateway = t.gateway_code != 0 && (t.gateway_code < 100 || t.gateway_code > 199);
  if (gateway) {
    text = "Gateway code " + std::to_string(t.gateway_code);
    for (const auto& g : kGatewayCodeTexts)
      if (g.code == t.gateway_code) text = std::string(g.text);
  }
  Json d{{"id", t.id + "p"},
         {"card_type", card_type(t.first6)},
         {"last_four", t.last4},
         {"response", ok ? kApproved : kDeclined},
         {"response_code", code},
         {"auth_code", t.auth_code},
         {"processor_response_code", gateway ? std::string_view() : row.processor_code},
         // [DOC] L857 shows the text with a trailing space ("APPROVAL TAS731 "): kept.
         {"processor_response_text", text + " "},
         {"processor_type", kProcessorType},
         {"processor_id", t.processor_id},
         {"created_at", t.created_at},
         {"updated_at", t.created_at}};
  if (t.owner.empty()) {
    d["first_six"] = t.first6;
    d["masked_card"] = t.first6 + "******" + t.last4;
    d["expiration_date"] = t.expiry_mmyy;
    d["avs_response_code"] = "0";
    d["cvv_response_code"] = "";
    d["processor_specific"] = "";  // "it may be an object or an empty string" ([GO])
  } else {
    d["terminal_id"] = t.owner;
    d["first_four"] = t.first6.substr(0, 4);
    d["masked_card"] = t.first6.substr(0, 4) + "********" + t.last4;
    d["entry_type"] = "swiped";
    d["processor_specific"] = Json{{"BatchNum", t.batch_id.empty() ? "1" : t.batch_id}};  // L1025
  }
  return d;
}

}  // namespace

// The transaction object, in the shape every FluidPay-family client reads (research §1: the
// answer of POST /api/transaction in [GO]'s fixture and the Dart/Java models): data.response
// is the verdict string, data.response_code the gateway's integer code, the processor's
// details in data.response_body.card (or .terminal). The same object in every answer (POST,
// GET, search, capture, refund) [SIM]: the document's old GET example nests the card under
// "response" (L846), which the newer clients replaced with response_body.
Json transaction(const Txn& t) {
  const bool ok = t.outcome == Outcome::approved || t.outcome == Outcome::partial;
  const std::string_view method = t.owner.empty() ? "card" : "terminal";
  const int code = t.gateway_code != 0 ? t.gateway_code : code_of(t.outcome).code;
  const bool captured = t.status == TxnStatus::captured || t.status == TxnStatus::settled || t.status == TxnStatus::refunded;
  Json body = Json::object();
  body[std::string(method)] = payment_details(t, ok, code);
  return Json{{"id", t.id},
              {"type", type_of(t.type)},
              {"status", status_of(t.status)},
              {"response", ok ? kApproved : kDeclined},
              {"response_code", code},
              {"idempotency_key", t.idempotency_key},
              {"idempotency_time", t.idempotency_time},
              {"amount", t.requested},
              {"base_amount", t.requested - t.tip_in_amount},
              {"amount_authorized", t.authorized},
              {"amount_captured", t.captured},
              {"amount_settled", t.settled},
              {"amount_refunded", t.refunded},
              {"tip_amount", t.tip_in_amount},
              {"currency", "usd"},
              {"order_id", t.reference},
              {"po_number", t.po_number},
              {"processor_id", t.processor_id},
              {"processor_type", kProcessorType},
              {"payment_method", method},
              {"payment_type", "card"},
              {"transaction_source", "api"},
              {"settlement_batch_id", t.batch_id},
              {"referenced_transaction_id", t.parent_id},
              {"response_body", std::move(body)},
              {"created_at", t.created_at},
              {"updated_at", t.created_at},
              {"captured_at", captured ? Json(t.created_at) : Json(nullptr)},
              {"settled_at", nullptr}};
}

// Not in the document (no batch object is shown): the simulator's own shape.
Json batch(const Batch& b) {
  return Json{{"id", b.id},
              {"terminal_id", b.owner},
              {"batch_date", b.created_at},
              {"transaction_count", b.count},
              {"net_amount", b.total}};
}

Json terminal() {
  return Json{{"id", kTerminalId},        {"merchant_id", "aucio551tlv85l7moe5g"},
              {"manufacturer", "dejavoo"}, {"model", "z11"},
              {"serial_number", "1811000XXXX"}, {"tpn", "1811000XXXX"},
              {"description", "front counter z11"}, {"status", "active"},
              {"auth_key", "wcR1c9o1"},     {"register_id", "1"},
              {"auto_settle", true},        {"settle_at", "00:00:00"},
              {"created_at", "2018-01-12T03:57:59Z"}, {"updated_at", "0001-01-01T00:00:00Z"}};
}

}  // namespace tender::net::hostsim::fullstack
