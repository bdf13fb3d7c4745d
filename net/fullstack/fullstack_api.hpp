// FullStack gateway v1.5.1: every path, field name, code and time in one place, each with
// its source. [DOC] specs/raw/fullstack-api.txt (Lnnn). FullStack belongs to the FluidPay
// API family (issue 10's note lists each fact with its source); where the document is silent the family's public
// clients speak: [FPDOC] sandbox.fluidpay.com/docs (duplicate-detection), [GO]
// fluidpay/fluidpay-go @7f45bdd (transactions.go, query.go, fixtures_test.go), [DART]
// fluidpay/fluidpay-dart (transaction/request.dart), [JAVA] fluidpay/fluidpay-java, [AM] the
// FluidPay gateway of the Ch1g/active_merchant fork (fluid_pay.rb). [INF] marks our inference.
#pragma once

#include <array>
#include <chrono>
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
inline constexpr std::string_view idempotency_time = "idempotency_time";  // [FPDOC], [GO], [DART]
inline constexpr std::string_view order_id = "order_id";                  // L276, search L944
inline constexpr std::string_view response_body = "response_body";        // [GO] ResponseBody; L1025
inline constexpr std::string_view amount_refunded = "amount_refunded";    // [GO] Transaction
inline constexpr std::string_view country = "country";                    // calculate/amounts L745
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
// A swipe's number and expiration_date: both "required if payment_method.card is present"
// (L308-L309), and the table allows no exception for track data; [GO] CardPayment always
// sends both. Decided: a swipe sends them beside its track, read from the track itself.
// [INF] Encrypted tracks leave the terminal without a clear PAN: neither is sent with them.
//
// Surcharge (defect 6): `amount` "will be the final amount you want charged and will include
// all surcharges and related fees" (L268-L269 TIP, L279 "should contain all applicable fees")
// and the transaction request has no surcharge field (L277-L421). payment_adjustment is an
// adjustment the gateway applies ([GO]: "PaymentAdjustment adds a flat or percentage fee"),
// so a surcharge sent there beside an amount that holds it would be counted twice. Decided:
// the surcharge travels inside `amount` only, the total the receipt prints. [DART]'s
// undocumented top-level `surcharge` is not sent either: no source says the gateway does not
// add it. (The refund's `surcharge`, L1017, is not used: the seam's refund has no surcharge.)
inline constexpr std::string_view kIntegrations = "integrations";  // lookup/fees type, L523
inline constexpr std::string_view kFlat = "flat";                  // payment_adjustment.type

enum class TransactionType { sale, authorize, verification, credit };
inline constexpr std::array<std::pair<TransactionType, std::string_view>, 4> kTransactionType{{
    {TransactionType::sale, "sale"},
    {TransactionType::authorize, "authorize"},
    {TransactionType::verification, "verification"},
    {TransactionType::credit, "credit"},
}};

// Gateway response codes: the ranges are [DOC] L786-L797 ("100 thru 199 are Approvals and
// Partial Approvals. 200 thru 299 are Declined via the processor. 300 thru 399 are Gateway
// Declines. 400 thru 499 are processor rejection errors"). The ONE code table; first match
// wins, so the single codes come before their ranges. Three codes inside the decline and
// error ranges do not say what became of the payment, so they are Outcome::unknown and the
// engine asks recover() (which finds the transaction the host recorded, if any):
//  * 301 "Gateway Decline - Duplicate Transaction" ([AM]; [GO] ResponseCodeDuplicate): the
//    gateway took the request for a repeat of an earlier one, which may be ours.
//  * 421 "Communication error with processor" ([AM]; [GO] ResponseCodeProcessorOffline):
//    the processor may have approved what the gateway could not hear.
//  * 430 "Duplicate transaction at processor" ([AM]): as 301, one step further.
// 0 "Unknown, please contact support" and 99 "Pending payment" ([DOC]) are not final either.
struct CodeRange {
  int first;
  int last;
  host::Outcome outcome;
};
inline constexpr std::array<CodeRange, 10> kResponseCodes{{
    {0, 0, host::Outcome::unknown},
    {99, 99, host::Outcome::unknown},
    {100, 100, host::Outcome::approved},
    {110, 110, host::Outcome::partially_approved},
    {101, 199, host::Outcome::approved},
    {301, 301, host::Outcome::unknown},
    {200, 399, host::Outcome::declined},  // 2xx issuer decline, 3xx gateway decline
    {421, 421, host::Outcome::unknown},
    {430, 430, host::Outcome::unknown},
    {400, 499, host::Outcome::error},     // processor rejection errors: nothing was charged
}};
// What the codes that are not final say, for the display and the journal ([AM] texts).
inline constexpr std::array<std::pair<int, std::string_view>, 5> kUnknownCodeText{{
    {0, "Unknown"},
    {99, "Pending payment"},
    {301, "Gateway Decline - Duplicate Transaction"},
    {421, "Communication error with processor"},
    {430, "Duplicate transaction at processor"},
}};

// data.response, the gateway's verdict: "approved" or "declined" ([GO] Transaction.Response;
// [AM] success is response == 'approved'). No other value is shown anywhere.
inline constexpr std::array<std::pair<std::string_view, host::Outcome>, 2> kVerdict{{
    {"approved", host::Outcome::approved},
    {"declined", host::Outcome::declined},
}};

// Without a code or a verdict the transaction's status ([DOC] L946; [GO] adds pending,
// partially_refunded, returned...) decides: what the transaction holds now.
inline constexpr std::array<std::pair<std::string_view, host::Outcome>, 10> kStatus{{
    {"authorized", host::Outcome::approved},
    {"pending_settlement", host::Outcome::approved},
    {"settled", host::Outcome::approved},
    {"refunded", host::Outcome::approved},
    {"partially_refunded", host::Outcome::approved},
    {"declined", host::Outcome::declined},
    {"voided", host::Outcome::declined},  // nothing held any more
    {"reversed", host::Outcome::declined},
    {"unknown", host::Outcome::unknown},
    {"pending", host::Outcome::unknown},
}};
// Statuses of a transaction that settled: a void is refused, a refund is the way back
// ([DOC] L997 void "pending settlement", L1009 refund "already been settled"; [GO] statuses).
inline constexpr std::array<std::string_view, 3> kSettledStatus{"settled", "refunded", "partially_refunded"};
inline constexpr std::array<std::string_view, 2> kVoidedStatus{"voided", "reversed"};

// ---- Idempotency and recovery (fullstack_recovery.cpp says how they are used).
// The key's window: [DOC] L277 "Default time is 5 minutes"; [FPDOC] idempotency_time
// "Time to live for the idempotency key in seconds", default 300, otherwise "the Merchant's
// Duplicate detection seconds default value"; [GO] "default 300". The document does not name
// idempotency_time; the family does ([FPDOC], [GO], [DART], [JAVA]). Decided: we send it, so
// the window is the one we count with and not a merchant setting we cannot see.
inline constexpr std::chrono::seconds kIdempotencyTime{300};
// [INF] A replay is sent only while now - last_sent_unix <= kIdempotencyTime - this margin:
// it covers the request's own time on the wire, the search before it, and clocks that drift.
inline constexpr std::chrono::seconds kReplayMargin{60};
// [INF] The search's created_at range reaches this far beyond the terminal's own times: the
// terminal's clock may be wrong, and the order_id makes the search exact anyway ([GO]: without
// a created_at range the gateway searches the prior four months).
inline constexpr std::chrono::hours kSearchSlack{24 * 31};
// Search page: "Maximum records to return (0-100)" (L975).
inline constexpr int kSearchLimit = 100;
// order_id: "Supports up to 15 alphanumeric characters" (L276; [GO] says 17, capture L993 too:
// the smaller one holds everywhere). It carries our reference id so the search finds exactly
// our transaction: no source has an idempotency_key criterion (research §4).
inline constexpr std::size_t kOrderIdLength = 15;

inline std::optional<host::Outcome> outcome_for_code(long long code) {
  for (const auto& range : kResponseCodes) {
    if (code >= range.first && code <= range.last) return range.outcome;
  }
  return std::nullopt;
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& set, std::string_view value) {
  for (const auto& s : set) {
    if (s == value) return true;
  }
  return false;
}

using host::table_lookup;

}  // namespace tender::net::fullstack::api
