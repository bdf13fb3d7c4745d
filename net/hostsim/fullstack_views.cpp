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

Json transaction(const Txn& t) {
  const bool ok = t.outcome == Outcome::approved || t.outcome == Outcome::partial;
  const std::string_view method = t.owner.empty() ? "card" : "terminal";
  const CodeRow& code = code_of(t.outcome);
  Json card{{"card_type", card_type(t.first6)},
            {"first_six", t.first6},
            {"last_four", t.last4},
            {"masked_card", t.first6 + "******" + t.last4},
            {"expiration_date", t.expiry_mmyy},
            {"status", ok ? "approved" : "declined"},
            {"auth_code", t.auth_code},
            {"processor_response_code", ok ? "00" : "05"},
            {"processor_response_text", code.text},
            {"processor_type", "tender_sim"},
            {"avs_response_code", "0"},
            {"processor_specific", Json::object()},
            {"created_at", t.created_at},
            {"updated_at", t.created_at}};
  return Json{{"id", t.id},
              {"type", type_of(t.type)},
              {"amount", t.requested},
              {"currency", "usd"},
              {"order_id", t.reference},
              {"payment_method", method},
              {"response_code", code.code},
              {"response_text", code.text},
              {"response", {{method, std::move(card)}}},
              {"status", status_of(t.status)},
              {"amount_authorized", t.authorized},
              {"amount_captured", t.captured},
              {"amount_settled", t.settled},
              {"amount_refunded", t.refunded},
              {"settlement_batch_id", t.batch_id},
              {"created_at", t.created_at},
              {"updated_at", t.created_at}};
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
