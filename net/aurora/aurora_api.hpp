// Aurora ARISE pay-api v1: every path, field name and code in one place, each with its source.
// Learn the host from its own evidence; correct a fact here, nowhere else. Sources:
//  RAW   specs/raw/aurora-arise-api.txt: the vendor's reference page, example panels only
//        (S1..S12 as in specs/aurora-arise.md §1; L = line).
//  IOS   aurora-payments/arise-mobile-sdk-for-ios @99a3c83, ARISE.swiftmodule
//        arm64-apple-ios.private.swiftinterface (L = line; generated from the vendor's OpenAPI:
//        a property without `?` is in the schema's `required`), and its swiftdoc (doc comments).
//  AND   aurora-payments/sdk-test-repo-2 @807bf70, sdk/libs/sdk-debug.aar (classes, by javap).
//  FLUTE aurora-payments/flute-sdk-typescript @18d6bd0 (ISV API v2: conventions only).
// Where RAW and a client disagree, the constant says which one wins and why.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "net/host/host_adapter.hpp"
#include "net/host/table.hpp"

namespace tender::net::aurora::api {

// Paths: IOS swiftdoc "- Remark: HTTP `POST /pay-api/v1/transactions/auth`" and its siblings
// (IOS L21861 auth, L22012 sale, L22163 capture, L22767 void, L22314 return, L23068 tip,
// L22616 settle, L23371 calculate, L21702 list, L22918 detail); AND carries the same strings.
// FLUTE src/environment.ts: TOKEN_ENDPOINT_PATH = '/oauth2/token' on the OAuth host.
inline constexpr std::string_view kTokenPath = "/oauth2/token";
inline constexpr std::string_view kAuthPath = "/pay-api/v1/transactions/auth";
inline constexpr std::string_view kSalePath = "/pay-api/v1/transactions/sale";
inline constexpr std::string_view kCapturePath = "/pay-api/v1/transactions/capture";
inline constexpr std::string_view kVoidPath = "/pay-api/v1/transactions/void";
inline constexpr std::string_view kReturnPath = "/pay-api/v1/transactions/return";
inline constexpr std::string_view kTipAdjustPath = "/pay-api/v1/transactions/tip-adjustment";
inline constexpr std::string_view kSettlePath = "/pay-api/v1/transactions/settle";
inline constexpr std::string_view kCalculatePath = "/pay-api/v1/transactions/calculate-amount";
inline constexpr std::string_view kTransactionsPath = "/pay-api/v1/transactions";  // GET list, GET /{id}

// The list's query parameters, complete (IOS L21705-21712; AND TransactionsApi
// .payApiV1TransactionsGet has the same eight): page, pageSize, asc, orderBy, createMethodId,
// createdById, batchId, noBatch. There is NO referenceId, status or date filter: a lost
// request is found by the search in aurora_recovery.cpp, never by our reference id.
inline constexpr std::string_view kPageQuery = "page";
inline constexpr std::string_view kPageSizeQuery = "pageSize";
inline constexpr std::string_view kAscQuery = "asc";
inline constexpr std::string_view kOrderByQuery = "orderBy";
// IOS swiftdoc of the SDK's TransactionFilters: `orderBy: "date"` in its example; asc "If
// false - sort by descending".
inline constexpr std::string_view kOrderByDate = "date";
// IOS swiftdoc TransactionFilters.page: "Zero-based page number for pagination. First page is
// 0"; AND TransactionFiltersMapper.toApiParams passes the page through unchanged. (The
// settlement batches list says "1-based": another endpoint.) Were the host 1-based after all,
// page 0 would repeat page 1, which costs a request and misses nothing; the reverse mistake
// would skip the newest page.
inline constexpr int kFirstPage = 0;
// IOS swiftdoc TransactionFilters.pageSize: "Validation: Must be between 1 and 100".
inline constexpr int kMaxPageSize = 100;

// calculate-amount is a GET with query parameters only (IOS L23375-23381): amount,
// percentageOffRate, surchargeRate, tipAmount, tipRate, currencyId, useCardPrice.
inline constexpr std::string_view kAmountQuery = "amount";
inline constexpr std::string_view kTipAmountQuery = "tipAmount";
inline constexpr std::string_view kCurrencyIdQuery = "currencyId";

// OAuth2 client credentials (RFC 6749 §4.4; FLUTE src/auth/tokenManager.ts, AND
// AriseAuthApiImpl.authenticate): form fields and token response fields.
inline constexpr std::string_view kClientId = "client_id";
inline constexpr std::string_view kClientSecret = "client_secret";
inline constexpr std::string_view kGrantType = "grant_type";
inline constexpr std::string_view kClientCredentials = "client_credentials";
inline constexpr std::string_view kAccessToken = "access_token";
inline constexpr std::string_view kExpiresIn = "expires_in";

// Request fields: RAW L606-656 (S2), L689-740 (S3), L769-792 (S4), L793-824 (S5), L890-912
// (S8), L1009-1032 (S10); the DTOs IOS L1081 (auth), L7999 (sale), L1473 (capture), L7865
// (return), L10173 (void), L8960 (tip adjustment). Responses: IOS L1177, L9639, L4699, L4811.
namespace field {
inline constexpr std::string_view paymentProcessorId = "paymentProcessorId";
inline constexpr std::string_view customerId = "customerId";
inline constexpr std::string_view paymentMethodId = "paymentMethodId";
inline constexpr std::string_view amount = "amount";
inline constexpr std::string_view tipAmount = "tipAmount";
inline constexpr std::string_view tipRate = "tipRate";
inline constexpr std::string_view currencyId = "currencyId";
inline constexpr std::string_view percentageOffRate = "percentageOffRate";
inline constexpr std::string_view surchargeRate = "surchargeRate";
inline constexpr std::string_view useCardPrice = "useCardPrice";
inline constexpr std::string_view billingAddress = "billingAddress";
inline constexpr std::string_view shippingAddress = "shippingAddress";
inline constexpr std::string_view contactInfo = "contactInfo";
inline constexpr std::string_view accountNumber = "accountNumber";
inline constexpr std::string_view securityCode = "securityCode";
inline constexpr std::string_view expirationMonth = "expirationMonth";
inline constexpr std::string_view expirationYear = "expirationYear";
inline constexpr std::string_view track1 = "track1";
inline constexpr std::string_view track2 = "track2";
inline constexpr std::string_view emvTags = "emvTags";
inline constexpr std::string_view emvPaymentAppVersion = "emvPaymentAppVersion";
inline constexpr std::string_view cardDataSource = "cardDataSource";
inline constexpr std::string_view pin = "pin";
inline constexpr std::string_view pinKsn = "pinKsn";
inline constexpr std::string_view debit = "debit";
inline constexpr std::string_view emvFallbackCondition = "emvFallbackCondition";
inline constexpr std::string_view emvFallbackLastChipRead = "emvFallbackLastChipRead";
inline constexpr std::string_view referenceId = "referenceId";
inline constexpr std::string_view l2 = "l2";
inline constexpr std::string_view l3 = "l3";
inline constexpr std::string_view customerInitiatedTransaction = "customerInitiatedTransaction";
inline constexpr std::string_view transactionId = "transactionId";
// Responses.
inline constexpr std::string_view processedAmount = "processedAmount";
inline constexpr std::string_view status = "status";
inline constexpr std::string_view statusId = "statusId";
inline constexpr std::string_view typeId = "typeId";
inline constexpr std::string_view transactionTypeId = "transactionTypeId";
inline constexpr std::string_view details = "details";
inline constexpr std::string_view hostResponseCode = "hostResponseCode";
inline constexpr std::string_view hostResponseMessage = "hostResponseMessage";
inline constexpr std::string_view authCode = "authCode";
inline constexpr std::string_view items = "items";
inline constexpr std::string_view total = "total";
inline constexpr std::string_view id = "id";
inline constexpr std::string_view date = "date";
inline constexpr std::string_view customerPan = "customerPan";
inline constexpr std::string_view availableOperations = "availableOperations";
inline constexpr std::string_view availableAmount = "availableAmount";
inline constexpr std::string_view totalAmount = "totalAmount";
inline constexpr std::string_view baseAmount = "baseAmount";
inline constexpr std::string_view surchargeAmount = "surchargeAmount";
inline constexpr std::string_view creditCard = "creditCard";
inline constexpr std::string_view debitCard = "debitCard";
inline constexpr std::string_view cash = "cash";
inline constexpr std::string_view code = "code";
inline constexpr std::string_view message = "message";
inline constexpr std::string_view processorResponseCode = "processorResponseCode";
}  // namespace field

// Error bodies (IOS L878-1060, AspNet_Swagger_Examples_{Validation,NotFound,Internal}
// ExceptionExample: details, statusCode, source, exceptionType, correlationId, entityId,
// errorCode, errors). AND's hand-written parser (networking/AriseApiClientImpl) reads the
// same keys in PascalCase ("Details", "CorrelationId", ...): keys are matched ignoring case.
namespace error_field {
inline constexpr std::string_view details = "details";
inline constexpr std::string_view errorCode = "errorCode";
inline constexpr std::string_view correlationId = "correlationId";
}  // namespace error_field
// The correlation id of an answer, first found wins: FLUTE src/internal/http.ts reads
// `x-arise-trace-correlationid ?? x-correlation-id ?? payload.correlationId`.
inline constexpr std::array<std::string_view, 2> kCorrelationHeaders{"x-arise-trace-correlationid", "x-correlation-id"};

// cardDataSource (IOS swiftdoc CardDataSourceDto; AND CardDataSource INTERNET=1 .. MANUAL=7):
// 1 Internet ("Virtual Terminal, ISV API"), 2 Swipe, 3 NFC, 4 EMV, 5 EMVContactless,
// 6 FallbackSwipe, 7 Manual ("Card present keyed transaction"). No 0 exists: RAW S5 `0`
// (L802) is a placeholder. Keyed entry on a terminal is 7, not RAW S2's 1 (an e-commerce
// example); contactless is 5 because our contactless kernel produces EMV data.
inline constexpr std::array<std::pair<host::EntryMode, int>, 5> kCardDataSource{{
    {host::EntryMode::keyed, 7},
    {host::EntryMode::swiped, 2},
    {host::EntryMode::chip, 4},
    {host::EntryMode::fallback_swipe, 6},
    {host::EntryMode::contactless, 5},
}};
// A return must carry cardDataSource (required in IOS L7865 ReturnRequestDto and AND
// @NotNull). Our referenced return reads no card and the seam's RefundRequest does not say how
// the original was read, so it goes as 1 Internet: a request through the ISV API whose card
// the host already holds (by transactionId). With an entry mode in the seam this would send
// the original's source instead.
inline constexpr int kReturnCardDataSource = 1;
inline constexpr std::array<std::pair<host::FallbackCondition, int>, 2> kFallbackCondition{{
    {host::FallbackCondition::icc_terminal_error, 0},  // IOS EMVFallbackConditionDto
    {host::FallbackCondition::no_candidate_list, 1},
}};
inline constexpr std::array<std::pair<host::LastChipRead, int>, 4> kLastChipRead{{
    {host::LastChipRead::successful, 0},  // IOS EMVFallbackLastChipReadDto
    {host::LastChipRead::failed, 1},
    {host::LastChipRead::not_a_chip_transaction, 2},
    {host::LastChipRead::unknown, 3},
}};
// currencyId: RAW S9 1 <-> "USD"; IOS CurrencyDto has only 1 USD.
inline constexpr std::array<std::pair<std::string_view, int>, 1> kCurrencyId{{{"USD", 1}}};

// surchargeRate is a percent (IOS swiftdoc CardTransactionRequest.surchargeRate: "The percent
// of transaction amount to be added to Amount after PercentageOffRate is applied (e.g., 3.0
// for 3% surcharge)"); the auth and sale DTOs have no surcharge amount field (IOS L1081,
// L7999). We send the rate that turns our base amount into exactly our surcharge, with at
// most this many decimals, or refuse.
inline constexpr int kSurchargeRateDecimals = 4;

// typeId / transactionTypeId (IOS swiftdoc TransactionTypeDto): 1 Authorization, 2 Sale,
// 3 Capture, 4 Void, 5 Refund, 6 CardAuthentication, 7 RefundWORef, 8 TipAdjustment, 10 Settle.
// availableOperations[].typeId uses the same numbers (RAW S9 L987-997: 3 Capture, 4 Void).
namespace type_id {
inline constexpr int authorization = 1;
inline constexpr int sale = 2;
inline constexpr int capture = 3;
inline constexpr int void_ = 4;
inline constexpr int refund = 5;
}  // namespace type_id

// The status of a transaction and what it says of the money. pay-api v1 has no status enum
// (statusId Int32, status String); the names are AND's TransactionStatus raw values (IOS
// L24785 "correspond to AggregatedTransactionStatus"), the ids IOS swiftdoc
// TransactionDto.transactionStatus: Authorized=1 | Captured=2 | Voided=3 | Refunded=4 |
// Verified=5 | Settled=6 | PartiallyAuthorized=7 | Pending=90 | Declined=91 | Failed=92 (RAW
// agrees on 1 Authorized, 2 Captured). The name decides; the id is read only without a name.
//  * Voided is `declined` for what it was asked of (nothing is held, nothing to undo) except for
//    the void itself (aurora_mapping.cpp).
//  * Failed: the host says the transaction failed: nothing charged (Outcome::error).
//  * Pending: the host has not decided: unknown, so the engine asks again later.
//  * Any other name (AND's ACH statuses InProgress, Held, ...) is unknown.
struct StatusRow {
  std::string_view name;
  int id;
  host::Outcome outcome;
};
inline constexpr std::array<StatusRow, 10> kStatus{{
    {"Authorized", 1, host::Outcome::approved},
    {"Captured", 2, host::Outcome::approved},
    {"Voided", 3, host::Outcome::declined},
    {"Refunded", 4, host::Outcome::approved},
    {"Verified", 5, host::Outcome::approved},
    {"Settled", 6, host::Outcome::approved},
    {"PartiallyAuthorized", 7, host::Outcome::partially_approved},
    {"Pending", 90, host::Outcome::unknown},
    {"Declined", 91, host::Outcome::declined},
    {"Failed", 92, host::Outcome::error},
}};
inline constexpr std::string_view kStatusVoided = "Voided";
inline constexpr std::string_view kStatusSettled = "Settled";
inline constexpr std::string_view kStatusCaptured = "Captured";
inline constexpr std::string_view kStatusRefunded = "Refunded";

// details.code: "High-level operation response - approve, decline or error" (IOS swiftdoc
// TransactionResponseDetailsIsvDto.code); RAW shows "Approve" (L678). It backs the status and
// decides alone when the status is missing or unknown; where the two disagree the answer is
// unknown (recovery asks the host's record). hostResponseCode is reported, never decides.
inline constexpr std::array<std::pair<std::string_view, host::Outcome>, 3> kDetailsCode{{
    {"Approve", host::Outcome::approved},
    {"Decline", host::Outcome::declined},
    {"Error", host::Outcome::error},
}};

// Settle `code` is an integer enum (IOS SettleResponseDto L8291, ResponseCodeDto: 0 Approve,
// 1 Decline, 2 Error; RAW L886 shows 0). Only 0 settled the batch.
inline constexpr std::array<std::pair<int, bool>, 3> kSettleCode{{{0, true}, {1, false}, {2, false}}};

using host::table_lookup;

}  // namespace tender::net::aurora::api
