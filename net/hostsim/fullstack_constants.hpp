// FullStack gateway v1.5.1: every path, field name and code the simulator uses, in one place,
// each with its source. Sources: [DOC] specs/raw/fullstack-api.txt (Lnnn); the FluidPay
// family it belongs to (issue 10's note): [FPDOC] sandbox.fluidpay.com/docs
// (duplicate-detection), [GO] fluidpay/fluidpay-go transactions.go @7f45bdd, [AM] the
// FluidPay gateway of the Ch1g/active_merchant fork (fluid_pay.rb RESPONSE_CODE_MAPPING).
// [SIM] marks what the documents leave open and the simulator had to choose (README.md);
// a client must not depend on those.
#pragma once

#include <array>
#include <chrono>
#include <string_view>

#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::fullstack {

inline constexpr std::string_view kApiPrefix = "/api/";
// The document's resources under /api/ (each with what lies below it): another API of the
// simulator may live under /api/ too (ConnexPay's /api/v1/), so FullStack claims only these.
inline constexpr std::array<std::string_view, 6> kResourceRoots{"/api/transaction", "/api/settlement", "/api/terminals",
                                                                "/api/terminal",    "/api/lookup",     "/api/calculate"};
inline constexpr std::string_view kTransaction = "/api/transaction";          // POST L262; /{id} GET L829
inline constexpr std::string_view kTransactionSearch = "/api/transaction/search";  // L910
inline constexpr std::string_view kCaptureSuffix = "capture";                 // /api/transaction/{id}/capture
inline constexpr std::string_view kVoidSuffix = "void";
inline constexpr std::string_view kRefundSuffix = "refund";
inline constexpr std::string_view kBatchSearch = "/api/settlement/batch/search";
inline constexpr std::string_view kTerminals = "/api/terminals";
inline constexpr std::string_view kTerminal = "/api/terminal";               // /api/terminal/{id}/settle
inline constexpr std::string_view kSettleSuffix = "settle";
inline constexpr std::string_view kLookupFees = "/api/lookup/fees";
inline constexpr std::string_view kCalculateAmounts = "/api/calculate/amounts";

inline constexpr std::string_view kCorrelationHeader = "x-correlation-id";  // L48-L50

// The merchant's "Duplicate detection seconds": the idempotency window when a request names
// no idempotency_time ([DOC] L277 "Default time is 5 minutes"; [FPDOC] "If no
// idempotency_time is provided ... the Merchant's Duplicate detection seconds default value.
// If this isn't set, we will default to 5 minutes"; [GO] "default 300").
inline constexpr auto kDefaultDuplicateWindow = std::chrono::seconds{300};
// [SIM] idempotency_time bounds: the documents give none.
inline constexpr std::int64_t kMaxIdempotencyTime = 86'400;
// order_id / po_number: "Supports up to 15 alphanumeric characters" ([DOC] L276-L277; the
// capture table says 17, L993: the transaction's own limit is enforced here).
inline constexpr std::size_t kMaxOrderId = 15;

// The simulator's processor: a merchant with one processor, set as its default, so a request
// without processor_id runs on it ([DOC] L288 "If no value is provided, the transaction will
// run against the default processor set on your gateway").
inline constexpr std::string_view kDefaultProcessor = "tsimproc000000000001";
inline constexpr std::string_view kProcessorType = "tender_sim";  // [SIM] processor_type

// Envelope.
inline constexpr std::string_view kSuccess = "success";
inline constexpr std::string_view kFailed = "failed";
// data.response: [GO] "the gateway's verdict, for example "approved" or "declined"".
inline constexpr std::string_view kApproved = "approved";
inline constexpr std::string_view kDeclined = "declined";

// Gateway response codes by the simulator's outcome. Ranges: [DOC] L786-L797 (100 approved,
// 110 partial, 2xx issuer decline, 3xx gateway decline, 4xx processor error); the codes
// inside them: [GO] (201 ResponseCodeDoNotHonor, 202 ResponseCodeInsufficient, 223
// ResponseCodeExpiredCard) and [AM] (226 "Cannot Verify Pin", 300 "Gateway Decline"). The
// processor's own code and text ([DOC] L856 "00"/"APPROVAL TAS731 ") are ISO 8583 style [SIM].
struct CodeRow {
  int code;
  std::string_view processor_code;
  std::string_view processor_text;
};
inline constexpr std::array<CodeRow, 7> kResponseCodes = {{
    {100, "00", "APPROVAL"},              // approved
    {110, "10", "PARTIAL APPROVAL"},      // partial
    {201, "05", "DO NOT HONOR"},          // declined
    {202, "51", "INSUFFICIENT FUNDS"},    // insufficient_funds
    {223, "54", "EXPIRED CARD"},          // expired_card
    {226, "55", "INCORRECT PIN"},         // incorrect_pin
    {300, "14", "INVALID CARD NUMBER"},   // invalid_card (Luhn: refused by the gateway)
}};
inline constexpr const CodeRow& code_of(Outcome o) { return kResponseCodes[static_cast<std::size_t>(o)]; }

// Gateway codes a script may impose (behaviour "code:N"), with their family texts ([AM]).
// 301: [GO] ResponseCodeDuplicate; 421: [GO] ResponseCodeProcessorOffline.
struct GatewayCodeText {
  int code;
  std::string_view text;
};
inline constexpr std::array<GatewayCodeText, 5> kGatewayCodeTexts = {{
    {300, "Gateway Decline"},
    {301, "Gateway Decline - Duplicate Transaction"},
    {400, "Transaction error returned by processor"},
    {421, "Communication error with processor"},
    {430, "Duplicate transaction at processor"},
}};

// Transaction statuses ([DOC] L946) by lifecycle status.
inline constexpr std::array<std::string_view, 6> kStatuses = {
    "authorized", "pending_settlement", "settled", "voided", "declined", "refunded"};
inline constexpr std::string_view status_of(TxnStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }

// `type` values: [DOC] L279; a refund is its own transaction of type "refund" ([GO] search fixture).
inline constexpr std::array<std::string_view, 5> kTypes = {"authorize", "sale", "verification", "credit", "refund"};
inline constexpr std::string_view type_of(TxnType t) { return kTypes[static_cast<std::size_t>(t)]; }

}  // namespace tender::net::hostsim::fullstack
