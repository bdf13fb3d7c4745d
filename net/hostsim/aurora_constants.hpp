// Aurora ARISE: every path, field name and code the simulator uses, in one place, each with
// its source. The simulator is a witness: it is written from the host's own evidence, never
// from our adapter. Sources (the same as net/aurora/aurora_api.hpp):
//  RAW  specs/raw/aurora-arise-api.txt (the vendor's reference page, example panels; L = line)
//  IOS  aurora-payments/arise-mobile-sdk-for-ios @99a3c83, ARISE.swiftinterface (L = line;
//       generated from the vendor's OpenAPI) and its swiftdoc
//  AND  aurora-payments/sdk-test-repo-2 @807bf70, sdk-debug.aar (javap)
// Where the documents are silent and the simulator must choose, the constant says "sim" and
// README.md lists the choice; no client may depend on it.
#pragma once

#include <array>
#include <string_view>

#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::aurora {

// Paths: IOS swiftdoc "- Remark: HTTP `POST /pay-api/v1/transactions/auth`" and its siblings
// (L21861 auth, L22012 sale, L22163 capture, L22314 return, L22465 return/no-reference,
// L22616 settle, L22767 void, L23068 tip-adjustment, L23371 calculate-amount, L21702 list,
// L22918 detail, L20604 settlement batches). FLUTE src/environment.ts: /oauth2/token.
inline constexpr std::string_view kTokenPath = "/oauth2/token";
inline constexpr std::string_view kBase = "/pay-api/v1/transactions";
inline constexpr std::string_view kAuth = "/pay-api/v1/transactions/auth";
inline constexpr std::string_view kSale = "/pay-api/v1/transactions/sale";
inline constexpr std::string_view kCapture = "/pay-api/v1/transactions/capture";
inline constexpr std::string_view kReturn = "/pay-api/v1/transactions/return";
inline constexpr std::string_view kReturnNoReference = "/pay-api/v1/transactions/return/no-reference";
inline constexpr std::string_view kSettle = "/pay-api/v1/transactions/settle";
inline constexpr std::string_view kVoid = "/pay-api/v1/transactions/void";
inline constexpr std::string_view kTipAdjustment = "/pay-api/v1/transactions/tip-adjustment";
inline constexpr std::string_view kCalculate = "/pay-api/v1/transactions/calculate-amount";
inline constexpr std::string_view kBatches = "/pay-api/v1/settlements/batches";

// Request fields (IOS L1081 auth, L7999 sale, L1473 capture, L7865 return, L7919 return
// without reference, L10173 void, L8960 tip adjustment, L8255 settle).
inline constexpr std::string_view kPaymentProcessorId = "paymentProcessorId";
inline constexpr std::string_view kAmount = "amount";
inline constexpr std::string_view kTipAmount = "tipAmount";
inline constexpr std::string_view kCurrencyId = "currencyId";
inline constexpr std::string_view kPercentageOffRate = "percentageOffRate";
inline constexpr std::string_view kSurchargeRate = "surchargeRate";
inline constexpr std::string_view kAccountNumber = "accountNumber";
inline constexpr std::string_view kExpirationMonth = "expirationMonth";
inline constexpr std::string_view kExpirationYear = "expirationYear";
inline constexpr std::string_view kTrack1 = "track1";
inline constexpr std::string_view kTrack2 = "track2";
inline constexpr std::string_view kEmvTags = "emvTags";
inline constexpr std::string_view kCardDataSource = "cardDataSource";
inline constexpr std::string_view kPin = "pin";
inline constexpr std::string_view kPinKsn = "pinKsn";
inline constexpr std::string_view kDebit = "debit";
inline constexpr std::string_view kEmvFallbackCondition = "emvFallbackCondition";
inline constexpr std::string_view kEmvFallbackLastChipRead = "emvFallbackLastChipRead";
inline constexpr std::string_view kReferenceId = "referenceId";
inline constexpr std::string_view kTransactionId = "transactionId";

// Enumerations the requests carry (IOS swiftdoc): CardDataSourceDto 1 Internet .. 7 Manual
// (no 0); EMVFallbackConditionDto 0..1; EMVFallbackLastChipReadDto 0..3; CurrencyDto 1 USD.
inline constexpr std::int64_t kCardDataSourceMin = 1;
inline constexpr std::int64_t kCardDataSourceMax = 7;
inline constexpr std::int64_t kFallbackConditionMax = 1;
inline constexpr std::int64_t kLastChipReadMax = 3;
inline constexpr int kUsdCurrencyId = 1;  // RAW S9: currencyId 1 <-> "USD"

// Rates (percentageOffRate, surchargeRate) are percents ("e.g., 3.0 for 3% surcharge", IOS
// swiftdoc CardTransactionRequest.surchargeRate), typed Double: sim keeps up to 4 decimals.
inline constexpr unsigned kRateDecimals = 4;
inline constexpr std::int64_t kRateScale = 1'000'000;  // 100 % in ten-thousandths of a percent

// Error bodies: IOS L878-1060 AspNet_Swagger_Examples_{Validation,NotFound,Internal}
// ExceptionExample {details, statusCode, source, exceptionType, correlationId, entityId,
// errorCode, errors}. The schema is camelCase (AND's parser reads PascalCase: clients must
// take either); "Transaction Id is required" is RAW's own text (L797). The other messages,
// exceptionType and errorCode values are sim.
inline constexpr std::string_view kTransactionIdRequired = "Transaction Id is required";
inline constexpr std::string_view kMalformedJson = "The request body is not valid JSON";
inline constexpr std::string_view kNotFoundMessage = "Transaction not found";
// Where the answer's correlation id also travels (FLUTE src/internal/http.ts reads this
// header first; sending it on pay-api is sim).
inline constexpr std::string_view kCorrelationHeader = "x-arise-trace-correlationid";

struct IdName {
  int id;
  std::string_view name;
};

// status/statusId (IOS swiftdoc TransactionDto.transactionStatus: Authorized=1 | Captured=2 |
// Voided=3 | Refunded=4 | Verified=5 | Settled=6 | PartiallyAuthorized=7 | Pending=90 |
// Declined=91 | Failed=92; AND TransactionStatus has the same names; RAW: 1 Authorized,
// 2 Captured), by the ledger's lifecycle status (store.hpp TxnStatus order).
inline constexpr std::array<IdName, 6> kStatuses = {{
    {1, "Authorized"}, {2, "Captured"}, {6, "Settled"}, {3, "Voided"}, {91, "Declined"}, {4, "Refunded"},
}};
inline constexpr IdName status_of(TxnStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }
inline constexpr IdName kPartiallyAuthorized{7, "PartiallyAuthorized"};
inline constexpr IdName kPending{90, "Pending"};

// typeId/type (IOS swiftdoc TransactionTypeDto: 1 Authorization, 2 Sale, 3 Capture, 4 Void,
// 5 Refund, 7 RefundWORef, 8 TipAdjustment, 10 Settle; RAW S9 shows 3 Capture, 4 Void).
inline constexpr IdName kTypeAuthorization{1, "Authorization"};
inline constexpr IdName kTypeSale{2, "Sale"};
inline constexpr IdName kTypeCapture{3, "Capture"};
inline constexpr IdName kTypeVoid{4, "Void"};
inline constexpr IdName kTypeRefund{5, "Refund"};
inline constexpr IdName kTypeRefundWithoutReference{7, "RefundWORef"};
inline constexpr IdName kTypeTipAdjustment{8, "TipAdjustment"};

// cardDataSourceId -> the name the detail shows beside it (IOS L4728-4729; names from
// CardDataSourceDto).
inline constexpr std::array<std::string_view, 8> kCardDataSourceNames = {
    "", "Internet", "Swipe", "NFC", "EMV", "EMVContactless", "FallbackSwipe", "Manual"};

// The list's createMethodId and a record's source.typeId (AND CreateMethodId: PORTAL=1,
// API_TOKEN=2, TERMINAL=3, INVOICE=4, QUICK_PAYMENT=5, WEB_COMPONENT=6, SUBSCRIPTION=7,
// MOBILE_APP=8, TAP_TO_PAY=9; RAW S1: source typeId 1 "Portal"). That source.typeId is this
// enum, that pay-api calls with a bearer token are ApiToken (2), and the type names beyond
// "Portal" are sim.
inline constexpr IdName kCreatedByPortal{1, "Portal"};
inline constexpr IdName kCreatedByApiToken{2, "ApiToken"};
inline constexpr IdName kCreatedByTerminal{3, "Terminal"};
inline constexpr std::int64_t kCreateMethodMax = 9;

// Settle `code` (IOS SettleResponseDto L8291, ResponseCodeDto: 0 Approve, 1 Decline, 2 Error).
inline constexpr int kSettleApprove = 0;
// Settlement batch status (IOS swiftdoc GetSettlementBatchesResponseDto.statusId: Open = 1 |
// Settled = 2).
inline constexpr IdName kBatchSettled{2, "Settled"};

// details.* by outcome: hostResponseCode (a two-character code, IOS swiftdoc), message,
// definition, code (Approve/Decline/Error: "High-level operation response"), message. Only the
// approval row is RAW's (L673-680); the codes of the others follow ISO 8583 and are sim.
struct OutcomeRow {
  std::string_view host_code;
  std::string_view host_message;
  std::string_view definition;
  std::string_view code;
  std::string_view message;
};
inline constexpr std::array<OutcomeRow, 7> kOutcomes = {{
    {"00", "APPROVAL", "Approved and completed", "Approve", "Success"},  // RAW's
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
