// FullStack gateway v1.5.1: every path, field name and code in one place
// (specs/raw/fullstack-api.txt, line numbers as Lnnn).
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "net/host/host_adapter.hpp"
#include "net/host/table.hpp"

namespace tender::net::fullstack::api {

inline constexpr std::string_view kTransactionPath = "/api/transaction";            // L262, GET /{id} L829
inline constexpr std::string_view kCaptureSuffix = "/capture";                      // L981
inline constexpr std::string_view kVoidSuffix = "/void";                            // L996
inline constexpr std::string_view kRefundSuffix = "/refund";                        // L1008
inline constexpr std::string_view kTransactionSearchPath = "/api/transaction/search";  // L910
inline constexpr std::string_view kTerminalsPath = "/api/terminals";                // L1890
inline constexpr std::string_view kTerminalPath = "/api/terminal/";                 // + {id}/settle, L1018
inline constexpr std::string_view kSettleSuffix = "/settle";
inline constexpr std::string_view kBatchSearchPath = "/api/settlement/batch/search";
// L540 shows a doubled "/api/api/lookup/fees" in a shell transcript; the heading's path wins.
inline constexpr std::string_view kFeesPath = "/api/lookup/fees";
inline constexpr std::string_view kCalculateAmountsPath = "/api/calculate/amounts";  // L566
inline constexpr std::string_view kCorrelationHeader = "x-correlation-id";  // L48-L50

namespace field {
inline constexpr std::string_view idempotency_key = "idempotency_key";
inline constexpr std::string_view type = "type";
inline constexpr std::string_view amount = "amount";
inline constexpr std::string_view tip_amount = "tip_amount";
inline constexpr std::string_view currency = "currency";
inline constexpr std::string_view allow_partial_payment = "allow_partial_payment";
inline constexpr std::string_view payment_adjustment = "payment_adjustment";
inline constexpr std::string_view value = "value";
inline constexpr std::string_view payment_method = "payment_method";
inline constexpr std::string_view card = "card";
inline constexpr std::string_view terminal = "terminal";
inline constexpr std::string_view entry_type = "entry_type";
inline constexpr std::string_view number = "number";
inline constexpr std::string_view expiration_date = "expiration_date";
inline constexpr std::string_view cvc = "cvc";
inline constexpr std::string_view track_1 = "track_1";
inline constexpr std::string_view track_2 = "track_2";
inline constexpr std::string_view encrypted_track_1 = "encrypted_track_1";
inline constexpr std::string_view encrypted_track_2 = "encrypted_track_2";
inline constexpr std::string_view ksn = "ksn";
inline constexpr std::string_view id = "id";
inline constexpr std::string_view print_receipt = "print_receipt";
inline constexpr std::string_view signature_required = "signature_required";
inline constexpr std::string_view surcharge = "surcharge";
inline constexpr std::string_view status = "status";
inline constexpr std::string_view msg = "msg";
inline constexpr std::string_view data = "data";
inline constexpr std::string_view response = "response";
inline constexpr std::string_view response_code = "response_code";
inline constexpr std::string_view amount_authorized = "amount_authorized";
inline constexpr std::string_view amount_captured = "amount_captured";  // search criteria, L940
inline constexpr std::string_view auth_code = "auth_code";
inline constexpr std::string_view processor_response_code = "processor_response_code";
inline constexpr std::string_view processor_response_text = "processor_response_text";
inline constexpr std::string_view base_amount = "base_amount";
inline constexpr std::string_view bin = "bin";
inline constexpr std::string_view state = "state";
inline constexpr std::string_view requested_amount = "requested_amount";
inline constexpr std::string_view service_fee = "service_fee";
inline constexpr std::string_view manufacturer = "manufacturer";
inline constexpr std::string_view model = "model";
inline constexpr std::string_view serial_number = "serial_number";
inline constexpr std::string_view description = "description";
inline constexpr std::string_view register_id = "register_id";
inline constexpr std::string_view auto_settle = "auto_settle";
inline constexpr std::string_view processor_id = "processor_id";
inline constexpr std::string_view subtotal = "subtotal";
inline constexpr std::string_view transaction_type = "transaction_type";
inline constexpr std::string_view include = "include";
inline constexpr std::string_view cc_bin = "cc_bin";
inline constexpr std::string_view total = "total";
inline constexpr std::string_view op = "operator";  // search criteria (L928)
inline constexpr std::string_view created_at = "created_at";
inline constexpr std::string_view start_date = "start_date";
inline constexpr std::string_view end_date = "end_date";
inline constexpr std::string_view batch_date = "batch_date";
inline constexpr std::string_view limit = "limit";
inline constexpr std::string_view offset = "offset";
}  // namespace field

inline constexpr std::string_view kSuccess = "success";  // envelope status; "failed" otherwise
inline constexpr std::string_view kKeyed = "keyed";      // entry_type, L304
inline constexpr std::string_view kSwiped = "swiped";
inline constexpr std::string_view kIntegrations = "integrations";  // lookup/fees type, L523
inline constexpr std::string_view kFlat = "flat";                  // payment_adjustment.type

enum class TransactionType { sale, authorize, verification, credit };
inline constexpr std::array<std::pair<TransactionType, std::string_view>, 4> kTransactionType{{
    {TransactionType::sale, "sale"},
    {TransactionType::authorize, "authorize"},
    {TransactionType::verification, "verification"},
    {TransactionType::credit, "credit"},
}};

// Gateway response codes (L786-L797), first matching range wins. The ONE code table.
struct CodeRange {
  int first;
  int last;
  host::Outcome outcome;
};
inline constexpr std::array<CodeRange, 7> kResponseCodes{{
    {0, 0, host::Outcome::unknown},     // "Unknown, please contact support"
    {99, 99, host::Outcome::unknown},   // pending payment (redirect processors)
    {100, 100, host::Outcome::approved},
    {110, 110, host::Outcome::partially_approved},
    {101, 199, host::Outcome::approved},  // "100 thru 199 are Approvals and Partial Approvals"
    {200, 399, host::Outcome::declined},  // 2xx issuer decline, 3xx gateway decline
    {400, 499, host::Outcome::error},     // processor rejection errors
}};

// Ambiguity F1 (§6.19: no example shows the code's field): without response_code the
// transaction's status (search docs, L946) decides.
inline constexpr std::array<std::pair<std::string_view, host::Outcome>, 8> kStatus{{
    {"authorized", host::Outcome::approved},
    {"pending_settlement", host::Outcome::approved},
    {"settled", host::Outcome::approved},
    {"refunded", host::Outcome::approved},
    {"declined", host::Outcome::declined},
    {"voided", host::Outcome::declined},  // nothing held any more
    {"reversed", host::Outcome::declined},
    {"unknown", host::Outcome::unknown},
}};

inline std::optional<host::Outcome> outcome_for_code(long long code) {
  for (const auto& range : kResponseCodes) {
    if (code >= range.first && code <= range.last) return range.outcome;
  }
  return std::nullopt;
}

using host::table_lookup;

}  // namespace tender::net::fullstack::api
