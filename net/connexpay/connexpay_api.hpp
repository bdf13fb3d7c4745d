// ConnexPay Sales API v1: every path, field name, enum value and code the adapter uses, each at
// one constant with its source (the tags of net/connexpay/WIRE.md, the contract shared with the
// simulator): [E] evidenced (H = the host document connexpay-api.txt with its lines, V1 = the
// current OpenAPI, C1/C2 = the Haskell/PHP clients), [E-proc] the processor's (TSYS TransIT)
// evidence, [I] inference. Nothing here rests on a simulator choice.
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace tender::net::connexpay::api {

// ---- Paths (base /api/v1 [E H]; IIS routing is case-insensitive [I], H's casing kept).
inline constexpr std::string_view kTokenPath = "/api/v1/token";                      // [E H L16-112]
inline constexpr std::string_view kSalesPath = "/api/v1/sales";                      // [E H L698]
inline constexpr std::string_view kAuthOnlysPath = "/api/v1/AuthOnlys";              // [E H L1615]
inline constexpr std::string_view kCapturesPath = "/api/v1/Captures";                // [E H L2085]
inline constexpr std::string_view kVoidPath = "/api/v1/void";                        // [E H L2572]
inline constexpr std::string_view kReturnsPath = "/api/v1/returns";                  // [E H L3037]
inline constexpr std::string_view kVerifyPath = "/api/v1/Verify";                    // [E H L3491]
inline constexpr std::string_view kBatchClosePath = "/api/v1/Batches/close";         // [E H L3926]
inline constexpr std::string_view kTimeoutReversalPath = "/api/v1/timeoutreversal";  // [E H L1503-1611]
// Search/{kind}/{exportable}: "false" (no CSV) [E H L4692-4850].
inline constexpr std::string_view kSearchSalesPath = "/api/v1/Search/Sales/false";
inline constexpr std::string_view kSearchAuthOnlysPath = "/api/v1/Search/AuthOnlys/false";
inline constexpr std::string_view kSearchReturnsPath = "/api/v1/Search/Returns/false";

// ---- Token (password grant, form encoded) [E H L16-112].
inline constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";
inline constexpr std::string_view kGrantPassword = "password";
inline constexpr std::string_view kAccessToken = "access_token";
inline constexpr std::string_view kExpiresIn = "expires_in";  // seconds (863999 in H)
// A token is renewed this long before the host's expiry, so no request leaves with one that
// expires on the way [I].
inline constexpr long long kTokenMarginSeconds = 60;

// ---- Request fields (PascalCase [E]).
namespace field {
inline constexpr std::string_view kDeviceGuid = "DeviceGuid";          // [E]
inline constexpr std::string_view kMerchantGuid = "MerchantGuid";      // [E H §4.11] searches
// Every search example's body names its transaction by "guid" (H L5241), no table lists it:
// sent beside the documented filters, never relied on (the row's own guid is checked).
inline constexpr std::string_view kSearchGuid = "guid";
inline constexpr std::string_view kAmount = "Amount";                  // [E] decimal dollars
inline constexpr std::string_view kNewAmount = "NewAmount";            // [E H capture]
inline constexpr std::string_view kOrderNumber = "OrderNumber";        // [E V1] = reference_id (our use [I])
inline constexpr std::string_view kSequenceNumber = "SequenceNumber";  // [E] = reference_id without hyphens
inline constexpr std::string_view kTenderType = "TenderType";          // [E V1] sale only
inline constexpr std::string_view kConnexPayTransaction = "ConnexPayTransaction";  // [E V1] sale only
inline constexpr std::string_view kExpectedPayments = "ExpectedPayments";          // [E V1; C1/C2 send 1]
inline constexpr std::string_view kRiskData = "RiskData";              // [E V1 required; {} accepted C1]
inline constexpr std::string_view kSendReceipt = "SendReceipt";        // [E field; false I]
inline constexpr std::string_view kCardDataSource = "CardDataSource";  // [E H "Invalid CardDataSource"]
inline constexpr std::string_view kCard = "Card";                      // [E]
inline constexpr std::string_view kCardNumber = "CardNumber";          // [E]
inline constexpr std::string_view kExpirationDate = "ExpirationDate";  // [E] YYMM
inline constexpr std::string_view kCvv2 = "Cvv2";                      // [E] string
inline constexpr std::string_view kCardHolderName = "CardHolderName";  // [E]
inline constexpr std::string_view kTrack1Data = "Track1Data";          // [I name and nesting, WIRE.md]
inline constexpr std::string_view kTrack2Data = "Track2Data";          // [I]
inline constexpr std::string_view kEmvTags = "EmvTags";                // [I name: H EMVTags/EmvTags]
inline constexpr std::string_view kPin = "Pin";                        // [I: D9120/D9210 card group]
inline constexpr std::string_view kKsn = "Ksn";                        // [I: D9212]
inline constexpr std::string_view kEmvFallbackCondition = "EmvFallbackCondition";  // [E-proc P1; I spelling]
inline constexpr std::string_view kLastChipRead = "LastChipRead";                  // [E-proc P1; I spelling]
inline constexpr std::string_view kTerminalData = "TerminalData";                  // [I name; E9294]
inline constexpr std::string_view kSaleGuid = "SaleGuid";              // [E]
inline constexpr std::string_view kAuthOnlyGuid = "AuthOnlyGuid";      // [E]
inline constexpr std::string_view kReturnGuid = "ReturnGuid";          // [E V1]
inline constexpr std::string_view kVoidReason = "VoidReason";          // [E H L2747-2752]
inline constexpr std::string_view kAmountFrom = "AmountFrom";          // [E H search]
inline constexpr std::string_view kAmountTo = "AmountTo";              // [E H search]
inline constexpr std::string_view kTimeStampFrom = "TimeStampFrom";    // [E H search]
}  // namespace field

// ---- Answer fields (camelCase [E H/V1]).
namespace answer {
inline constexpr std::string_view kGuid = "guid";
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kBatchStatus = "batchStatus";
inline constexpr std::string_view kDeviceGuid = "deviceGuid";
inline constexpr std::string_view kSaleGuid = "saleGuid";          // a return's sale [E H L3125]
inline constexpr std::string_view kAmount = "amount";
inline constexpr std::string_view kEffectiveAmount = "effectiveAmount";  // 0 after a void or return [E H L2680]
inline constexpr std::string_view kNewAmount = "newAmount";        // a capture's [E H L2181]
inline constexpr std::string_view kProcessorStatusCode = "processorStatusCode";
inline constexpr std::string_view kProcessorResponseMessage = "processorResponseMessage";
inline constexpr std::string_view kWasProcessed = "wasProcessed";
inline constexpr std::string_view kAuthCode = "authCode";
inline constexpr std::string_view kRefNumber = "refNumber";
inline constexpr std::string_view kOrderNumber = "orderNumber";
inline constexpr std::string_view kEmvTags = "emvTags";            // [I] issuer 91/71/72/8A as hex
inline constexpr std::string_view kSale = "sale";                  // a capture's new sale [E V1/C2]
inline constexpr std::string_view kRelatedSale = "relatedSale";    // the same in H [E H L2219]
inline constexpr std::string_view kRelatedCapture = "relatedCapture";  // [E H L5262]
inline constexpr std::string_view kRelatedVoid = "relatedVoid";        // [E H L5263]
inline constexpr std::string_view kCount = "count";                // search [E H L4778]
inline constexpr std::string_view kRet = "ret";
inline constexpr std::string_view kMessage = "message";            // 4xx body [E C1, C2]
inline constexpr std::string_view kResponseCode = "responseCode";  // batch close [E H L4013]
inline constexpr std::string_view kResponseMessage = "responseMessage";
}  // namespace answer

// ---- Values.
inline constexpr std::string_view kTenderCredit = "Credit";  // [E V1]
inline constexpr std::string_view kApproved = "Transaction - Approved";                     // [E H]
inline constexpr std::string_view kApprovedWarning = "Transaction - Approved - Warning";    // [E H L4770]
inline constexpr std::string_view kDeclined = "Transaction - Declined";                     // [E H L5250]
inline constexpr std::string_view kBatchOpen = "Batch - Open";                              // [E H]
inline constexpr std::string_view kBatchClosed = "Batch - Closed";                          // [E H L3141]
inline constexpr std::string_view kPartialCode = "A0002";   // "Partially Approved" [E H L2201; E-proc P1]
inline constexpr std::string_view kBatchPass = "PASS";      // [E H L4013]
inline constexpr std::string_view kBatchSuccess = "A0000";  // [E H L4014]
// The timeout reversal's one documented answer, a bare JSON string [E H L1589].
inline constexpr std::string_view kTimeoutReversed = "Device Guid and Sequence Number combination found and voided.";
// H L6464: a search with no results; its HTTP status is not documented [I: any].
inline constexpr std::string_view kNoResult = "NoResultFound204";
// A processor decline inside a 422 message: "Error code D2005. Invalid Card." [E C1].
inline constexpr std::string_view kErrorCodePrefix = "Error code ";

enum class CardDataSource { manual, swipe, emv, fallback_swipe, emv_contactless, nfc };
// [E V2 + E-proc P2/P4]
inline constexpr std::array<std::pair<CardDataSource, std::string_view>, 6> kCardDataSource{{
    {CardDataSource::manual, "MANUAL"},
    {CardDataSource::swipe, "SWIPE"},
    {CardDataSource::emv, "EMV"},
    {CardDataSource::fallback_swipe, "FALLBACK_SWIPE"},
    {CardDataSource::emv_contactless, "EMV_CONTACTLESS"},
    {CardDataSource::nfc, "NFC"},
}};

// TerminalData, all six members on every card-present request (E9294) [E-proc P1 values].
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kTerminalDataFixed{{
    {"TerminalCapability", "MAGSTRIPE_ICC_KEYED_ENTRY_ONLY"},
    {"TerminalOperatingEnvironment", "ON_MERCHANT_PREMISES_ATTENDED"},
    {"TerminalAuthenticationCapability", "PIN_ENTRY"},
    {"TerminalOutputCapability", "PRINT_AND_DISPLAY"},
}};
inline constexpr std::string_view kCardholderAuthenticationMethod = "CardholderAuthenticationMethod";
inline constexpr std::string_view kAuthPin = "PIN";                      // E9295
inline constexpr std::string_view kAuthNone = "NOT_AUTHENTICATED";
inline constexpr std::string_view kMaxPinLength = "MaxPinLength";
inline constexpr std::string_view kMaxPinLengthValue = "12";

// Void reasons [E H L2747-2752; TransIT values E-proc P1].
enum class VoidReasonCode { post_auth_user_decline, device_timeout, partial_reversal, torn_transactions, post_auth_chip_decline };
inline constexpr std::array<std::pair<VoidReasonCode, std::string_view>, 5> kVoidReason{{
    {VoidReasonCode::post_auth_user_decline, "POST_AUTH_USER_DECLINE"},
    {VoidReasonCode::device_timeout, "DEVICE_TIMEOUT"},
    {VoidReasonCode::partial_reversal, "PARTIAL_REVERSAL"},
    {VoidReasonCode::torn_transactions, "TORN_TRANSACTIONS"},
    {VoidReasonCode::post_auth_chip_decline, "POST_AUTH_CHIP_DECLINE"},
}};

// Fallback indicators [E-proc P1/P2 values; I spelling].
inline constexpr std::string_view kIccTerminalError = "ICC_TERMINAL_ERROR";
inline constexpr std::string_view kNoCandidateList = "NO_CANDIDATE_LIST";
inline constexpr std::array<std::string_view, 4> kLastChipReadValue{"SUCCESSFUL", "FAILED", "NOT_A_CHIP_TRANSACTION", "UNKNOWN"};

// Minimum amount on Sale, AuthOnly and Return: $0.50 [E H L1809].
inline constexpr long long kMinimumMinorUnits = 50;

}  // namespace tender::net::connexpay::api
