// FullStack gateway v1.5.1: every path, field name and code the simulator uses, in one place.
#pragma once

#include <array>
#include <chrono>
#include <string_view>

#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::fullstack {

inline constexpr std::string_view kApiPrefix = "/api/";
inline constexpr std::string_view kTransaction = "/api/transaction";          // POST; /{id} GET
inline constexpr std::string_view kTransactionSearch = "/api/transaction/search";
inline constexpr std::string_view kCaptureSuffix = "capture";                 // /api/transaction/{id}/capture
inline constexpr std::string_view kVoidSuffix = "void";
inline constexpr std::string_view kRefundSuffix = "refund";
inline constexpr std::string_view kBatchSearch = "/api/settlement/batch/search";
inline constexpr std::string_view kTerminals = "/api/terminals";
inline constexpr std::string_view kTerminal = "/api/terminal";               // /api/terminal/{id}/settle
inline constexpr std::string_view kSettleSuffix = "settle";
inline constexpr std::string_view kLookupFees = "/api/lookup/fees";
inline constexpr std::string_view kCalculateAmounts = "/api/calculate/amounts";

inline constexpr std::string_view kCorrelationHeader = "x-correlation-id";
inline constexpr auto kIdempotencyWindow = std::chrono::minutes{5};  // "Default time is 5 minutes"

// Envelope.
inline constexpr std::string_view kSuccess = "success";
inline constexpr std::string_view kFailed = "failed";

// Gateway response codes (raw L786-L797): 100 approved, 110 partial, 2xx issuer decline,
// 3xx gateway decline. The individual codes inside the ranges are the simulator's choice.
// The document never shows the field that carries the code: decided `response_code` on the
// transaction object.
struct CodeRow {
  int code;
  std::string_view text;
};
inline constexpr std::array<CodeRow, 7> kResponseCodes = {{
    {100, "Approved"},
    {110, "Partial approval"},
    {200, "Declined"},
    {201, "Insufficient funds"},
    {202, "Expired card"},
    {203, "Incorrect PIN"},
    {300, "Invalid card number"},
}};
inline constexpr const CodeRow& code_of(Outcome o) { return kResponseCodes[static_cast<std::size_t>(o)]; }

// Transaction statuses (raw L946) by lifecycle status.
inline constexpr std::array<std::string_view, 6> kStatuses = {
    "authorized", "pending_settlement", "settled", "voided", "declined", "refunded"};
inline constexpr std::string_view status_of(TxnStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }

// `type` values: process uses authorize; refunds are recorded as their own type.
inline constexpr std::array<std::string_view, 5> kTypes = {"authorize", "sale", "verification", "credit", "refund"};
inline constexpr std::string_view type_of(TxnType t) { return kTypes[static_cast<std::size_t>(t)]; }

}  // namespace tender::net::hostsim::fullstack
