// Aurora ARISE pay-api v1: every path, field name and code in one place.
// The source document (specs/raw/aurora-arise-api.txt) has example panels only; the
// paths, the OAuth2 endpoint and the enum values come from the summary's Appendix A
// (public client code of the same API, unverified). Correct them here, nowhere else.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "net/host/host_adapter.hpp"
#include "net/host/table.hpp"

namespace tender::net::aurora::api {

// Appendix A: paths.
inline constexpr std::string_view kTokenPath = "/oauth2/token";  // on the OAuth host
inline constexpr std::string_view kAuthPath = "/pay-api/v1/transactions/auth";
inline constexpr std::string_view kSalePath = "/pay-api/v1/transactions/sale";
inline constexpr std::string_view kCapturePath = "/pay-api/v1/transactions/capture";
inline constexpr std::string_view kVoidPath = "/pay-api/v1/transactions/void";
inline constexpr std::string_view kReturnPath = "/pay-api/v1/transactions/return";
inline constexpr std::string_view kTipAdjustPath = "/pay-api/v1/transactions/tip-adjustment";
inline constexpr std::string_view kSettlePath = "/pay-api/v1/transactions/settle";
inline constexpr std::string_view kCalculatePath = "/pay-api/v1/transactions/calculate-amount";
inline constexpr std::string_view kTransactionsPath = "/pay-api/v1/transactions";  // GET list, GET /{id}

// Ambiguity A1 (summary §8.20, Appendix A: the list's query parameters do not include a
// reference id): recovery needs lookup by referenceId, so we ask the list endpoint with
// this query parameter. It is the one unverified name the recovery depends on.
inline constexpr std::string_view kReferenceIdQuery = "referenceId";
// Ambiguity A2 (§8.20): calculate-amount inputs are not shown; these query names mirror
// the request body's own field names.
inline constexpr std::string_view kAmountQuery = "amount";
inline constexpr std::string_view kTipAmountQuery = "tipAmount";
inline constexpr std::string_view kCurrencyIdQuery = "currencyId";

// OAuth2 client credentials (RFC 6749 §4.4): form fields and token response fields.
inline constexpr std::string_view kClientId = "client_id";
inline constexpr std::string_view kClientSecret = "client_secret";
inline constexpr std::string_view kGrantType = "grant_type";
inline constexpr std::string_view kClientCredentials = "client_credentials";
inline constexpr std::string_view kAccessToken = "access_token";
inline constexpr std::string_view kExpiresIn = "expires_in";

// Request fields (raw lines 602-684 S2, 685-768 S3, 769-792 S4, 793-824 S5, 890-912 S8, 1009-1032 S10).
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
inline constexpr std::string_view details = "details";
inline constexpr std::string_view hostResponseCode = "hostResponseCode";
inline constexpr std::string_view hostResponseMessage = "hostResponseMessage";
inline constexpr std::string_view authCode = "authCode";
inline constexpr std::string_view items = "items";
inline constexpr std::string_view id = "id";
inline constexpr std::string_view totalAmount = "totalAmount";
inline constexpr std::string_view baseAmount = "baseAmount";
inline constexpr std::string_view surchargeAmount = "surchargeAmount";
inline constexpr std::string_view creditCard = "creditCard";
inline constexpr std::string_view cash = "cash";
inline constexpr std::string_view code = "code";
inline constexpr std::string_view message = "message";
inline constexpr std::string_view processorResponseCode = "processorResponseCode";
}  // namespace field

// Appendix A: cardDataSource 1 Internet, 2 Swipe, 3 NFC, 4 EMV, 5 EMVContactless,
// 6 FallbackSwipe, 7 Manual. Ambiguity A3: keyed entry on a terminal is 7 (Manual,
// card present), not 1 (the raw S2 example's keyed value, an e-commerce request);
// contactless is 5 (EMV contactless), because our contactless kernel produces EMV data.
inline constexpr std::array<std::pair<host::EntryMode, int>, 5> kCardDataSource{{
    {host::EntryMode::keyed, 7},
    {host::EntryMode::swiped, 2},
    {host::EntryMode::chip, 4},
    {host::EntryMode::fallback_swipe, 6},
    {host::EntryMode::contactless, 5},
}};
inline constexpr std::array<std::pair<host::FallbackCondition, int>, 2> kFallbackCondition{{
    {host::FallbackCondition::icc_terminal_error, 0},
    {host::FallbackCondition::no_candidate_list, 1},
}};
inline constexpr std::array<std::pair<host::LastChipRead, int>, 4> kLastChipRead{{
    {host::LastChipRead::successful, 0},
    {host::LastChipRead::failed, 1},
    {host::LastChipRead::not_a_chip_transaction, 2},
    {host::LastChipRead::unknown, 3},
}};
// currencyId: the documents show only 1 <-> "USD" (raw S9).
inline constexpr std::array<std::pair<std::string_view, int>, 1> kCurrencyId{{{"USD", 1}}};

// Ambiguity A4 (§6: no decline example): the outcome of a transaction result comes from
// details.hostResponseCode, read as the ISO 8583 response code that "00"/"APPROVAL" is.
// Other two-digit codes are declines; anything else (e.g. the placeholder "string") is
// Outcome::unknown, so the engine recovers rather than guessing.
inline constexpr std::array<std::pair<std::string_view, host::Outcome>, 3> kHostResponseCode{{
    {"00", host::Outcome::approved},
    {"10", host::Outcome::partially_approved},  // ISO 8583: approved for a partial amount
    {"85", host::Outcome::approved},            // ISO 8583: no reason to decline
}};
// Transaction detail and list items carry no details object: the status decides (S1, S9).
// "Voided" reports declined: nothing is held, so recovery has nothing to void.
inline constexpr std::array<std::pair<std::string_view, host::Outcome>, 7> kStatus{{
    {"Authorized", host::Outcome::approved},
    {"Captured", host::Outcome::approved},
    {"Settled", host::Outcome::approved},
    {"Refunded", host::Outcome::approved},
    {"Declined", host::Outcome::declined},
    {"Voided", host::Outcome::declined},
    {"Failed", host::Outcome::error},
}};

using host::table_lookup;

}  // namespace tender::net::aurora::api
