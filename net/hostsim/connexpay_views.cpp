#include "net/hostsim/connexpay_views.hpp"

#include <array>
#include <cstdio>

#include "net/hostsim/amounts.hpp"
#include "net/hostsim/api.hpp"
#include "net/hostsim/decision.hpp"

namespace tender::net::hostsim::connexpay {
namespace {

// refNumber / invoiceNumber: eight digits like H's "16286858" [SIM derived from the guid]:
// short of the run a log scrubber takes for a card number.
std::string ref_number(const Txn& t) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "%08llu", static_cast<unsigned long long>(fnv1a(t.id) % 100'000'000ULL));
  return buf;
}

// card.cardNumber: the host's token, 16 characters ending in the card's last four, like H's
// "nr959X7eCIXI0473" [E H L985]; [SIM] twelve letters from the guid, so never a digit run.
std::string card_token(const Txn& t) {
  static constexpr std::string_view kLetters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
  std::uint64_t h = fnv1a(t.id + t.last4);
  std::string out;
  for (int i = 0; i < 12; ++i) {
    out += kLetters[static_cast<std::size_t>(h % kLetters.size())];
    h /= kLetters.size();
    if (h == 0) h = fnv1a(out);
  }
  return out + t.last4;
}

// cardType: H shows "Visa", "Mastercard", "Discover", "Other" [E H]; [SIM] "American Express".
std::string_view card_type(std::string_view first6) {
  struct Brand {
    std::string_view prefix;
    std::string_view name;
  };
  static constexpr std::array<Brand, 6> kBrands = {{
      {"4", "Visa"}, {"5", "Mastercard"}, {"2", "Mastercard"}, {"34", "American Express"},
      {"37", "American Express"}, {"6", "Discover"},
  }};
  for (const auto& b : kBrands)
    if (first6.starts_with(b.prefix)) return b.name;
  return "Other";
}

// "MM/YY" -> "20YY-MM" (H "expirationDate": "2019-12").
std::string expiration(std::string_view mm_yy) {
  if (mm_yy.size() != 5) return {};
  return "20" + std::string(mm_yy.substr(3, 2)) + "-" + std::string(mm_yy.substr(0, 2));
}

Json card(const Txn& t) {
  return Json{{"first6", t.first6},
              {"first4", t.first6.substr(0, std::min<std::size_t>(4, t.first6.size()))},
              {"last4", t.last4},
              {"cardNumber", card_token(t)},
              {"cardType", card_type(t.first6)},
              {"expirationDate", expiration(t.expiry_mmyy)}};
}

std::string money(std::int64_t minor) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%lld.%02lld", static_cast<long long>(minor / 100), static_cast<long long>(minor % 100));
  return buf;
}

std::string_view source_name(const Txn& t) {
  const auto i = static_cast<std::size_t>(t.card_data_source);
  return i < kSources.size() ? kSources[i] : kSources[0];
}

// [SIM] A short receipt in H's layout: kind, masked card, entry mode, reference, amount.
std::string receipt(const Txn& t, std::string_view kind, std::string_view amount_label) {
  std::string r = std::string(kind) + "\n\nCARD # : **** **** **** " + t.last4 + "\nEntry Mode : " +
                  std::string(source_name(t)) + "\n\nREF # : " + ref_number(t) + "\n";
  if (!t.auth_code.empty()) r += "AUTH CODE : " + t.auth_code + "\n";
  r += std::string(amount_label) + money(shown_amount(t)) + "\n";
  r += approved(t.outcome) ? "APPROVED\n" : "DECLINED\n";
  return r;
}

std::string_view batch_status(const Txn& t) { return t.batch_id.empty() ? kBatchOpen : kBatchClosed; }

ProcessorCode processor_code(const Txn& t) {
  if (t.gateway_code != 0) {  // a refusal recorded as a decline (D0008)
    const RuleRow& row = row_of(Rule::possible_duplicate);
    return {row.code, row.text};
  }
  if (t.type == TxnType::refund && approved(t.outcome)) return {kReturnCode, kSuccessText};
  return code_of(t.outcome);
}

// The fields every transaction object carries.
Json common(const Txn& t, const ViewContext& ctx) {
  const ProcessorCode code = processor_code(t);
  Json j{{"guid", t.id},
         {"status", status_text(t)},
         {"batchStatus", batch_status(t)},
         {"timeStamp", t.created_at},
         {"deviceGuid", t.owner},
         {"batchGuid", ctx.batch_guid(t)},
         {"processorStatusCode", code.code},
         {"processorResponseMessage", code.text},
         {"wasProcessed", approved(t.outcome)},
         {"refNumber", ref_number(t)},
         {"invoiceNumber", ref_number(t)}};
  if (!t.sequence_number.empty()) j["sequenceNumber"] = t.sequence_number;
  if (!t.reference.empty()) j["orderNumber"] = t.reference;
  if (!t.auth_code.empty()) j["authCode"] = t.auth_code;
  return j;
}

// What is left of a payment: nothing once voided, the approved amount less the returns.
std::int64_t effective(const Txn& t) {
  if (t.status == TxnStatus::voided || !approved(t.outcome)) return 0;
  return t.authorized - t.refunded;
}

Json payment(const Txn& t, const ViewContext& ctx) {
  Json j = common(t, ctx);
  j["amount"] = minor_to_decimal(shown_amount(t));
  j["effectiveAmount"] = minor_to_decimal(effective(t));
  j["cardDataSource"] = source_name(t);
  j["card"] = card(t);
  j["customerReceipt"] = receipt(t, t.type == TxnType::authorization ? "CREDIT - AUTH ONLY" : "CREDIT - SALE", "Total: ");
  // [I] the issuer's response tags as one hex string, when the chip issuer answered.
  if (!t.emv_response_hex.empty()) j["emvTags"] = t.emv_response_hex;
  return j;
}

Json related(std::string_view id, const ViewContext& ctx) {
  const Txn* t = id.empty() ? nullptr : ctx.find(id);
  return t == nullptr ? Json(nullptr) : payment(*t, ctx);
}

Json capture(const Txn& t, const ViewContext& ctx) {
  Json j = common(t, ctx);
  j.erase("authCode");  // H's capture answer has none at top level
  j["authOnlyGuid"] = t.parent_id;
  j["newAmount"] = minor_to_decimal(t.requested);
  j["effectiveAmount"] = minor_to_decimal(t.requested);
  j["customerReceipt"] = receipt(t, "CREDIT - SALE", "Total: ");
  j["authOnly"] = related(t.parent_id, ctx);
  // The new sale: H names it relatedSale (L2326 example), V1 and C2 sale [E]; both are sent.
  j["relatedSale"] = related(t.related_id, ctx);
  j["sale"] = j["relatedSale"];
  // The capture's batch is its sale's (the record itself holds no money).
  if (const Txn* s = ctx.find(t.related_id); s != nullptr) {
    j["batchStatus"] = batch_status(*s);
    j["batchGuid"] = ctx.batch_guid(*s);
  }
  return j;
}

Json void_record(const Txn& t, const ViewContext& ctx) {
  Json j = common(t, ctx);
  j.erase("processorResponseMessage");  // H's void answer has none
  j["voidReason"] = t.void_reason.empty() ? Json(nullptr) : Json(t.void_reason);
  j["amount"] = minor_to_decimal(t.requested);
  j["customerReceipt"] = receipt(t, "CREDIT - VOID", "Void Amount: ");
  const Txn* target = ctx.find(t.parent_id);
  if (target == nullptr) return j;
  switch (target->type) {
    case TxnType::authorization:
      j["authOnlyGuid"] = target->id;
      j["authOnly"] = payment(*target, ctx);
      break;
    case TxnType::refund:
      j["returnGuid"] = target->id;
      j["return"] = payment(*target, ctx);
      break;
    default:
      j["saleGuid"] = target->id;
      j["sale"] = payment(*target, ctx);
      break;
  }
  return j;
}

Json return_record(const Txn& t, const ViewContext& ctx) {
  Json j = common(t, ctx);
  j["saleGuid"] = t.parent_id;
  j["amount"] = minor_to_decimal(t.requested);
  j["effectiveAmount"] = minor_to_decimal(t.status == TxnStatus::voided ? 0 : t.requested);
  j["cardDataSource"] = source_name(t);
  j["card"] = card(t);
  j["customerReceipt"] = receipt(t, "CREDIT - RETURN", "Return Amount: ");
  j["sale"] = related(t.parent_id, ctx);
  return j;
}

Json verify(const Txn& t, const ViewContext& ctx) {
  const ProcessorCode code = processor_code(t);
  (void)ctx;
  return Json{{"guid", t.id},
              {"status", status_text(t)},
              {"timeStamp", t.created_at},
              {"deviceGuid", t.owner},
              {"card", card(t)},
              {"processorStatusCode", code.code},
              {"processorResponseMessage", code.text},
              {"wasProcessed", approved(t.outcome)}};
}

}  // namespace

std::int64_t shown_amount(const Txn& t) { return approved(t.outcome) ? t.authorized : t.requested; }

std::string_view status_text(const Txn& t) { return approved(t.outcome) ? kApproved : kDeclined; }

Json object_of(const Txn& t, const ViewContext& ctx) {
  switch (t.type) {
    case TxnType::capture: return capture(t, ctx);
    case TxnType::void_record: return void_record(t, ctx);
    case TxnType::refund: return return_record(t, ctx);
    case TxnType::verification: return verify(t, ctx);
    default: return payment(t, ctx);
  }
}

std::string refusal_message(const RuleRow& row) {
  if (row.code.empty()) return std::string(row.text);
  std::string m = "Error code " + std::string(row.code) + ". " + std::string(row.text);
  if (!m.ends_with('.')) m += '.';
  return m;
}

http::Response refusal(const RuleRow& row, std::string_view error_id) {
  return json_response(kUnprocessable, Json{{"message", refusal_message(row)}, {"errorId", error_id}});
}

Json batch_close_body(const Batch& batch, std::string_view device, const BatchTotals& totals) {
  return Json{{"deviceGuid", device},
              {"guid", batch.id},
              {"status", kBatchPass},
              {"responseCode", kSuccessCode},
              {"responseMessage", kSuccessText},
              {"closureDate", batch.created_at},
              {"batchInfo",
               {{"siccode", kSicCode},
                {"saleCount", totals.sale_count},
                {"saleAmount", minor_to_decimal(totals.sale_amount)},
                {"returnCount", totals.return_count},
                {"returnAmount", minor_to_decimal(totals.return_amount)}}}};
}

}  // namespace tender::net::hostsim::connexpay
