// Aurora ARISE: every path, field name and code the simulator uses, in one place.
// Paths and OAuth2 come from the summary's Appendix A; ids beyond those the document shows
// (statusId 1 Authorized, 2 Captured; typeId 1 Authorization, 3 Capture, 4 Void) are the
// simulator's own choice, marked "sim".
#pragma once

#include <array>
#include <string_view>

#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::aurora {

inline constexpr std::string_view kTokenPath = "/oauth2/token";
inline constexpr std::string_view kBase = "/pay-api/v1/transactions";
inline constexpr std::string_view kAuth = "/pay-api/v1/transactions/auth";
inline constexpr std::string_view kSale = "/pay-api/v1/transactions/sale";
inline constexpr std::string_view kCapture = "/pay-api/v1/transactions/capture";
inline constexpr std::string_view kReturn = "/pay-api/v1/transactions/return";
inline constexpr std::string_view kSettle = "/pay-api/v1/transactions/settle";
inline constexpr std::string_view kVoid = "/pay-api/v1/transactions/void";
inline constexpr std::string_view kTipAdjustment = "/pay-api/v1/transactions/tip-adjustment";
inline constexpr std::string_view kCalculate = "/pay-api/v1/transactions/calculate-amount";

// Request fields.
inline constexpr std::string_view kPaymentProcessorId = "paymentProcessorId";
inline constexpr std::string_view kAmount = "amount";
inline constexpr std::string_view kTipAmount = "tipAmount";
inline constexpr std::string_view kCurrencyId = "currencyId";
inline constexpr std::string_view kAccountNumber = "accountNumber";
inline constexpr std::string_view kExpirationMonth = "expirationMonth";
inline constexpr std::string_view kExpirationYear = "expirationYear";
inline constexpr std::string_view kTrack1 = "track1";
inline constexpr std::string_view kTrack2 = "track2";
inline constexpr std::string_view kEmvTags = "emvTags";
inline constexpr std::string_view kPin = "pin";
inline constexpr std::string_view kPinKsn = "pinKsn";
inline constexpr std::string_view kReferenceId = "referenceId";
inline constexpr std::string_view kTransactionId = "transactionId";

inline constexpr int kUsdCurrencyId = 1;  // the document: currencyId 1 <-> "USD"

// Error messages; "Transaction Id is required" is the document's own text (raw line 797).
inline constexpr std::string_view kTransactionIdRequired = "Transaction Id is required";
inline constexpr std::string_view kMalformedJson = "The request body is not valid JSON";
inline constexpr std::string_view kNotFoundMessage = "Transaction not found";

struct IdName {
  int id;
  std::string_view name;
};

// statusId/status by lifecycle status (1 and 2 from the document; the rest sim).
inline constexpr std::array<IdName, 6> kStatuses = {{
    {1, "Authorized"}, {2, "Captured"}, {3, "Settled"}, {4, "Voided"}, {5, "Declined"}, {6, "Refunded"},
}};
inline constexpr IdName status_of(TxnStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }

// typeId/type of a transaction result (1, 3, 4 from the document; 2, 5, 6 sim).
inline constexpr IdName kTypeAuthorization{1, "Authorization"};
inline constexpr IdName kTypeSale{2, "Sale"};
inline constexpr IdName kTypeCapture{3, "Capture"};
inline constexpr IdName kTypeVoid{4, "Void"};
inline constexpr IdName kTypeReturn{5, "Return"};
inline constexpr IdName kTypeTipAdjustment{6, "TipAdjustment"};

// details.* by outcome: hostResponseCode (ISO 8583 style), message, definition, code, message.
struct OutcomeRow {
  std::string_view host_code;
  std::string_view host_message;
  std::string_view definition;
  std::string_view code;
  std::string_view message;
};
inline constexpr std::array<OutcomeRow, 7> kOutcomes = {{
    {"00", "APPROVAL", "Approved and completed", "Approve", "Success"},  // the document's
    {"10", "PARTIAL APPROVAL", "Approved for a partial amount", "Approve", "Partial approval"},
    {"05", "DECLINE", "Do not honor", "Decline", "Declined"},
    {"51", "DECLINE", "Insufficient funds", "Decline", "Declined"},
    {"54", "EXPIRED CARD", "Expired card", "Decline", "Declined"},
    {"55", "INCORRECT PIN", "Incorrect PIN", "Decline", "Declined"},
    {"14", "INVALID CARD", "Invalid card number", "Decline", "Declined"},
}};
inline constexpr const OutcomeRow& outcome_row(Outcome o) { return kOutcomes[static_cast<std::size_t>(o)]; }
inline constexpr OutcomeRow kOperationOk{"00", "APPROVAL", "Approved and completed", "Approve", "Success"};

}  // namespace tender::net::hostsim::aurora
