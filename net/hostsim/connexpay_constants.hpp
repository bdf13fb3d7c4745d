// ConnexPay Sales API v1: every path, field name, enum value, error text and code the simulator
// uses, in one place, each with its source. Sources (as net/connexpay/WIRE.md tags them):
// [E H Lnnn] the host document (specs/raw/connexpay-api.txt, line), [E V1]/[E C1]/[E C2] the
// public evidence of connexpay_research.md, [E-proc] TransIT (the processor behind it),
// [I] an inference both sides share (WIRE.md). [SIM] marks what the documents leave open
// and the simulator had to choose (README.md, "ConnexPay"); a terminal must not depend on it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::connexpay {

// ---- Paths (matched case-insensitively: H writes AuthOnlys, V1/C1/C2 authonlys [I]) --------
// Every constant is lower case: the router lowers the request path before comparing.
inline constexpr std::string_view kBase = "/api/v1/";                       // [E H L98]
inline constexpr std::string_view kToken = "/api/v1/token";                 // [E H L98]
inline constexpr std::string_view kSales = "/api/v1/sales";                 // [E H L1016]
inline constexpr std::string_view kAuthOnlys = "/api/v1/authonlys";         // [E H L1799]
inline constexpr std::string_view kCaptures = "/api/v1/captures";           // [E H L2252]
inline constexpr std::string_view kVoid = "/api/v1/void";                   // [E H L2727]
inline constexpr std::string_view kReturns = "/api/v1/returns";             // [E H L3192]
inline constexpr std::string_view kTimeoutReversal = "/api/v1/timeoutreversal";  // [E H L1597]
inline constexpr std::string_view kVerify = "/api/v1/verify";               // [E H L3662]
inline constexpr std::string_view kBatchClose = "/api/v1/batches/close";    // [E H L4032]
inline constexpr std::string_view kSearch = "/api/v1/search/";              // [E H L4802]

// ---- Token (password grant, form-encoded) ---------------------------------------------------
inline constexpr std::string_view kGrantType = "password";                  // [E H L16-L112]
inline constexpr std::string_view kTokenType = "bearer";                    // [E H L90]
inline constexpr auto kTokenLifetime = std::chrono::seconds{863999};        // [E H L91] ~10 days
inline constexpr std::string_view kBearer = "Bearer ";                      // [E H "Bearer eHSN..."]
// [SIM] The OWIN password-grant refusals (ASP.NET Web API's token endpoint): 400 with
// RFC 6749 §5.2 codes; the document shows no refusal.
inline constexpr std::string_view kUnsupportedGrant = "unsupported_grant_type";
inline constexpr std::string_view kInvalidGrant = "invalid_grant";
inline constexpr std::string_view kInvalidGrantText = "The user name or password is incorrect.";
// [SIM] ASP.NET Web API's 401 text; the status is [E C1].
inline constexpr std::string_view kUnauthorizedText = "Authorization has been denied for this request.";
// [E V1] an ASP.NET 500 body ("An error has occurred.").
inline constexpr std::string_view kServerErrorText = "An error has occurred.";
// [SIM] ASP.NET Web API's 404 for a path no controller serves.
inline constexpr std::string_view kNoResourceText = "No HTTP resource was found that matches the request URI.";

// ---- Request fields (PascalCase [E]) --------------------------------------------------------
inline constexpr std::string_view kDeviceGuid = "DeviceGuid";
inline constexpr std::string_view kAmount = "Amount";
inline constexpr std::string_view kSequenceNumber = "SequenceNumber";
inline constexpr std::string_view kOrderNumber = "OrderNumber";
inline constexpr std::string_view kCardDataSource = "CardDataSource";       // [E H L6332, V2]
inline constexpr std::string_view kCard = "Card";
inline constexpr std::string_view kCardNumber = "CardNumber";
inline constexpr std::string_view kExpirationDate = "ExpirationDate";       // YYMM [E H]
inline constexpr std::string_view kTrack1 = "Track1Data";                   // [I WIRE.md]
inline constexpr std::string_view kTrack2 = "Track2Data";                   // [I WIRE.md]
inline constexpr std::string_view kEmvTags = "EmvTags";                     // [I WIRE.md]
inline constexpr std::string_view kPin = "Pin";                             // [I WIRE.md]
inline constexpr std::string_view kKsn = "Ksn";                             // [I WIRE.md]
inline constexpr std::string_view kEncryptionType = "EncryptionType";       // [E-proc F9917]
inline constexpr std::string_view kFallbackCondition = "EmvFallbackCondition";  // [I WIRE.md]
inline constexpr std::string_view kLastChipRead = "LastChipRead";           // [I WIRE.md]
inline constexpr std::string_view kTerminalData = "TerminalData";           // [I WIRE.md, E H L6272]
inline constexpr std::string_view kCardholderAuthMethod = "CardholderAuthenticationMethod";
inline constexpr std::array<std::string_view, 6> kTerminalDataMembers = {  // [E H L6272]
    "TerminalCapability", "TerminalOperatingEnvironment", "CardholderAuthenticationMethod",
    "TerminalAuthenticationCapability", "TerminalOutputCapability", "MaxPinLength"};
inline constexpr std::string_view kAuthOnlyGuid = "AuthOnlyGuid";           // [E H L2265]
inline constexpr std::string_view kNewAmount = "NewAmount";                 // [E H L2265]
inline constexpr std::string_view kSaleGuid = "SaleGuid";                   // [E H L2727]
inline constexpr std::string_view kReturnGuid = "ReturnGuid";               // [E V1, H L6396]
inline constexpr std::string_view kVoidReason = "VoidReason";               // [E H]
inline constexpr std::string_view kMerchantGuid = "MerchantGuid";           // [E H L4824]
// Every search example's body names a transaction by "guid" (H L5241), though no field table
// lists it: served as a filter.
inline constexpr std::string_view kSearchGuid = "guid";
// An AuthOnly search row names its capture and its void, null when none (H L5262-L5263); the
// GET example (H L1840-L1961) has neither, so only search rows carry them.
inline constexpr std::string_view kRelatedCapture = "relatedCapture";
inline constexpr std::string_view kRelatedVoid = "relatedVoid";
inline constexpr std::string_view kAmountFrom = "AmountFrom";               // [E H L4825]
inline constexpr std::string_view kAmountTo = "AmountTo";
inline constexpr std::string_view kTimeStampFrom = "TimeStampFrom";
inline constexpr std::string_view kTimeStampTo = "TimeStampTo";
inline constexpr std::string_view kStatus = "Status";
// The identifiers the void rules name but the simulator does not look up by [SIM]: sent, they
// still count for "one of" / "only one of" (H L6396-L6397).
inline constexpr std::array<std::string_view, 3> kVoidReferenceNumbers = {
    "SaleReferenceNumber", "AuthOnlyReferenceNumber", "ReturnReferenceNumber"};

// Text limits [E V1]: "The maximum length is 100 alpha-numeric characters" (SequenceNumber;
// [SIM] '-' allowed too, as V1's own examples "T001-000123" and "Sample-seq-1" use it) and
// OrderNumber "max 50 alphanumeric plus -". A longer or other text does not bind (400).
struct TextLimit {
  std::string_view field;
  std::size_t max;
};
inline constexpr std::array<TextLimit, 2> kTextLimits = {{{kSequenceNumber, 100}, {kOrderNumber, 50}}};
// Required by V1 on a sale (`required: [DeviceGuid, Amount, ConnexPayTransaction, RiskData]`);
// H's example carries both. [SIM] AuthOnly requires neither (H's AuthOnly example has none).
inline constexpr std::array<std::string_view, 2> kSaleRequiredObjects = {"ConnexPayTransaction", "RiskData"};
inline constexpr std::string_view kExpectedPayments = "ExpectedPayments";  // [E H, V1] Mandatory

// ---- Money ---------------------------------------------------------------------------------
inline constexpr std::int64_t kMinAmount = 50;             // "Min. amt.: $0.50" [E H L1028, L1811, L3206]
inline constexpr std::int64_t kMaxAmount = 99'999'999;     // [E C1] "greater than $999,999.99"
inline constexpr auto kReturnWindow = std::chrono::hours{24 * 180};       // [E H L6367]
inline constexpr auto kDuplicateWindow = std::chrono::seconds{60};       // D0008 [E H L5785]
inline constexpr auto kSequenceWindow = std::chrono::minutes{30};        // [E V1] SequenceNumber

// ---- Enums ---------------------------------------------------------------------------------
// CardDataSource [E V2 + TransIT P2/P4; H F9902-F9906 name MANUAL, PHONE, EMAIL, INTERNET,
// SWIPE]. Absent means INTERNET: every H answer says INTERNET for a keyed sale [I].
enum class Source { internet, manual, phone, email, swipe, nfc, emv, emv_contactless, fallback_swipe };
inline constexpr std::array<std::string_view, 9> kSources = {
    "INTERNET", "MANUAL", "PHONE", "EMAIL", "SWIPE", "NFC", "EMV", "EMV_CONTACTLESS", "FALLBACK_SWIPE"};
inline constexpr std::string_view name_of(Source s) { return kSources[static_cast<std::size_t>(s)]; }
inline constexpr bool is_chip(Source s) { return s == Source::emv || s == Source::emv_contactless; }
inline constexpr bool is_keyed(Source s) { return s <= Source::email; }
inline constexpr bool is_card_present(Source s) { return !is_keyed(s); }  // E9294's scope [I WIRE.md]

inline constexpr std::array<std::string_view, 2> kFallbackConditions = {  // [E-proc P1/P2]
    "ICC_TERMINAL_ERROR", "NO_CANDIDATE_LIST"};
inline constexpr std::array<std::string_view, 4> kLastChipReads = {       // [E-proc P1/P2]
    "SUCCESSFUL", "FAILED", "NOT_A_CHIP_TRANSACTION", "UNKNOWN"};
inline constexpr std::string_view kVoltage = "VOLTAGE";                   // [E H L6301]
inline constexpr std::string_view kPinMethod = "PIN";                     // [E H L6273]
inline constexpr std::array<std::string_view, 6> kVoidReasons = {         // [E H Void table, V1]
    "POST_AUTH_USER_DECLINE", "DEVICE_TIMEOUT", "DEVICE_UNAVAILABLE",
    "PARTIAL_REVERSAL", "TORN_TRANSACTIONS", "POST_AUTH_CHIP_DECLINE"};
// [SIM] what a timeout reversal records as its void's reason (the document names none).
inline constexpr std::string_view kTimeoutVoidReason = "DEVICE_TIMEOUT";

// EMV tags F9917 forbids under VOLTAGE [E H L6301].
inline constexpr std::array<unsigned, 4> kVoltageForbiddenTags = {0x9F1F, 0x9F20, 0x57, 0x5A};
// [SIM] B.CB.GS06's required tags (H L6410 lists none): the ARQC's inputs and the terminal's
// data a processor needs to authorize a chip card online.
inline constexpr std::array<unsigned, 12> kRequiredEmvTags = {
    0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A, 0x82, 0x9F1A};

// ---- Answers (camelCase [E]) ---------------------------------------------------------------
inline constexpr std::string_view kApproved = "Transaction - Approved";     // [E H L953]
inline constexpr std::string_view kDeclined = "Transaction - Declined";     // [E H §10.6]
inline constexpr std::array<std::string_view, 6> kTransactionStatuses = {   // [E H Search tables]
    "Transaction - Approved", "Transaction - Declined", "Transaction - Created - Local",
    "Transaction - Created - Error: Processor not reached", "Transaction - Processor Error",
    "Transaction - Approved - Warning"};
inline constexpr std::string_view kBatchOpen = "Batch - Open";              // [E H L954]
inline constexpr std::string_view kBatchClosed = "Batch - Closed";          // [E H L3143]
inline constexpr std::string_view kTimeoutReversalDone =                    // [E H L1589]
    "Device Guid and Sequence Number combination found and voided.";
inline constexpr std::string_view kBatchPass = "PASS";                      // [E H L4013]
inline constexpr std::string_view kSuccessCode = "A0000";                   // [E H L4014]
inline constexpr std::string_view kSuccessText = "Success";                 // [E H L4015]
inline constexpr std::string_view kSicCode = "5999";                        // [E H L4018]
inline constexpr std::string_view kReturnCode = "A0014";                    // [E H L3134]
// [SIM] 400's message and the modelState key of an undecodable body; WIRE.md (shape [I]).
inline constexpr std::string_view kInvalidRequest = "The request is invalid.";
inline constexpr std::string_view kUndecodable = "Unable to decode the Model";  // [E H L6307]

// Processor codes by the issuer's decision (Outcome order). A0000/A0002 [E H L2201-L2202];
// the D-codes are H's table rows [E H L5914-L5935] for the simulator's reasons [SIM which].
struct ProcessorCode {
  std::string_view code;
  std::string_view text;
};
inline constexpr std::array<ProcessorCode, 7> kDecisionCodes = {{
    {"A0000", "Success"},             // approved
    {"A0002", "Partially Approved"},  // partial
    {"D2026", "Do not honor"},        // declined            H L5935
    {"D2012", "Insufficient Funds"},  // insufficient_funds  H L5921
    {"D2011", "Expired Card"},        // expired_card        H L5920
    {"D2008", "Incorrect Pin"},       // incorrect_pin       H L5917
    {"D2024", "Check Digit Err"},     // invalid_card (Luhn) H L5933
}};
inline constexpr const ProcessorCode& code_of(Outcome o) { return kDecisionCodes[static_cast<std::size_t>(o)]; }

// ---- Refusals: one row per rule ------------------------------------------------------------
// How a refusal reaches the client. Both shapes are documented (research §11): 422
// {"message","errorId"}, a processor code inside as "Error code Xnnnn. <text>." [E C1]; or a
// 2xx transaction with status "Transaction - Declined" [E H, C1]. Which rule answers which
// is [SIM] for every row: ConnexPay's own message rows and the processor's format rows (F/E
// codes and D9xxx field errors) are 422; a decision on the card (D0008) is a recorded decline.
enum class Shape { unprocessable, declined };

enum class Rule {
  invalid_device,        // DeviceGuid unknown
  foreign_device,        // a device of another merchant
  amount_not_positive,
  authonly_amount_not_positive,
  capture_amount_not_positive,
  amount_below_minimum,
  amount_above_maximum,
  invalid_source,
  card_missing,
  keyed_expiry_missing,
  swipe_expiry_missing,
  emv_fields_missing,
  emv_tags_missing,
  keyed_with_swipe,
  card_with_chip,
  track_with_keyed_source,
  track_unreadable,
  bad_expiry,
  card_number_invalid,
  fallback_condition_missing,
  fallback_last_read_missing,
  fallback_last_read_forbidden,
  fallback_track2_only,
  fallback_without_source,
  voltage_tags,
  voltage_tracks,
  encryption_unknown,
  encryption_not_enabled,
  pin_invalid,
  pin_without_ksn,
  ksn_short,
  terminal_data_missing,
  auth_method_not_pin,
  verify_swiped,
  verify_emv,
  duplicate_sequence_approved,
  duplicate_sequence_declined,
  possible_duplicate,
  capture_no_match,
  capture_twice,
  capture_over_authorized,
  void_none,
  void_many,
  void_not_found,
  void_auth_captured,
  void_sale_not_processed,
  void_auth_not_processed,
  void_return_not_processed,
  void_settled,
  void_again,
  void_reason_chip,
  return_no_sale,
  return_sale_unknown,
  return_not_allowed,
  return_not_positive,
  return_too_old,
  return_exceeded,
  return_voided,
  return_not_settled,
  reversal_not_found,
  not_found,
  no_result,
  merchant_unknown,
};

struct RuleRow {
  Rule rule;
  Shape shape;
  std::string_view code;  // a processor code, "" for ConnexPay's own messages
  std::string_view text;
};

// In Rule's order (checked below). Texts are verbatim from H unless [SIM].
inline constexpr std::array<RuleRow, 63> kRules = {{
    {Rule::invalid_device, Shape::unprocessable, "", "Invalid Device GUID"},  // H L6316
    {Rule::foreign_device, Shape::unprocessable, "",
     "No Devices were found for the given User/Merchant relationship"},  // H L6311
    // H L6333 "The (transaction) amount must be greater than zero", per transaction.
    {Rule::amount_not_positive, Shape::unprocessable, "", "The Sale amount must be greater than zero"},
    {Rule::authonly_amount_not_positive, Shape::unprocessable, "", "The AuthOnly amount must be greater than zero"},
    {Rule::capture_amount_not_positive, Shape::unprocessable, "", "The Capture amount must be greater than zero"},
    // [SIM] text: H states the $0.50 minimum without a message; modelled on C1's observed
    // "Amount field don't allow a value greater than $999,999.99".
    {Rule::amount_below_minimum, Shape::unprocessable, "", "Amount field don't allow a value less than $0.50"},
    {Rule::amount_above_maximum, Shape::unprocessable, "",
     "Amount field don't allow a value greater than $999,999.99"},  // [E C1]
    {Rule::invalid_source, Shape::unprocessable, "", "Invalid CardDataSource"},  // H L6332
    {Rule::card_missing, Shape::unprocessable, "", "Card number, track1data or track2data missing"},  // H L6413
    {Rule::keyed_expiry_missing, Shape::unprocessable, "",
     "Expiration date is required if the Card number is being sent. B.CB.GS01"},  // H L6405
    {Rule::swipe_expiry_missing, Shape::unprocessable, "",
     "Expiration date is required if the Card is being swiped. B.CB.GS02"},  // H L6406
    {Rule::emv_fields_missing, Shape::unprocessable, "",
     "For EMV, required fields are EMVTags and ExpirationDate B.CB.GS05"},  // H L6409
    {Rule::emv_tags_missing, Shape::unprocessable, "", "Tags missing B.CB.GS06"},  // H L6410
    {Rule::keyed_with_swipe, Shape::unprocessable, "F9906",
     "Group keyedCardData is not allowed with cardDataSource value SWIPE"},  // H L6290
    {Rule::card_with_chip, Shape::unprocessable, "F9913",
     "Invalid content, {encodedCardData, keyedCardData or swipedCardData} is not Allowed with Chip Card"},  // H L6297
    // [SIM] track data under a keyed CardDataSource (or none): H's F9907 row.
    {Rule::track_with_keyed_source, Shape::unprocessable, "F9907", "Invalid cardDataSource for requested service."},
    // [SIM] a track the simulator cannot read: H's F9912 row.
    {Rule::track_unreadable, Shape::unprocessable, "F9912",
     "Invalid content, one of {track1Data, track2Data, track3Data} is required"},  // H L6296
    // [SIM] an ExpirationDate that is not YYMM: H's D2028 row.
    {Rule::bad_expiry, Shape::unprocessable, "D2028", "Invalid Date"},  // H L5937
    // A CardNumber that is not a card number (not 12-19 digits): the text C1 saw [E C1] as 422.
    {Rule::card_number_invalid, Shape::unprocessable, "D2005", "Invalid Card"},  // H L5914
    {Rule::fallback_condition_missing, Shape::unprocessable, "F9914",
     "emvFallbackCondition is Mandatory with Fallback Swipe transaction"},  // H L6298
    {Rule::fallback_last_read_missing, Shape::unprocessable, "F9910",
     "lastChipRead is Mandatory with Fallback Swipe (Icc Terminal Error) transaction"},  // H L6294
    {Rule::fallback_last_read_forbidden, Shape::unprocessable, "F9911",
     "lastchipRead is not Allowed with Fallback Swipe (Empty Candidate List) transaction"},  // H L6295
    {Rule::fallback_track2_only, Shape::unprocessable, "F9916", "Fallback Swipe allowed with track2Data only"},  // H L6300
    // [SIM] fallback fields without FALLBACK_SWIPE ("neither allowed unless", WIRE.md [I]): F9907.
    {Rule::fallback_without_source, Shape::unprocessable, "F9907", "Invalid cardDataSource for requested service."},
    {Rule::voltage_tags, Shape::unprocessable, "F9917",
     "Invalid emvTags, {9F1F or 9F20 or 57 or 5A} Tags 9F1F, 9F20, 57 and 5A are not allowed if encryptionType is "
     "VOLTAGE"},  // H L6301
    {Rule::voltage_tracks, Shape::unprocessable, "F9918",
     "Invalid content, {track1Data, track3Data, emulatedTrackData} is not Allowed with Chip Card and encryptionType "
     "track1Data, track3Data, and emulatedTrackData are not allowed if encryptionType is VOLTAGE"},  // H L6302
    {Rule::encryption_unknown, Shape::unprocessable, "D9510", "Invalid Encryption Type"},  // H L6280
    // [SIM] the simulated device has no Voltage key: a VOLTAGE request that passes F9917/F9918
    // ends here (H L6274).
    {Rule::encryption_not_enabled, Shape::unprocessable, "D9500", "Encryption services not enabled for the device"},
    // [SIM] which of the two "Invalid Card_Info/PIN" rows (H L6250, L6253) answers what:
    // D9210 a Pin that is not a 16-hex PIN block, D9120 a Pin without a Ksn.
    {Rule::pin_invalid, Shape::unprocessable, "D9210", "Invalid Card_Info/PIN"},
    {Rule::pin_without_ksn, Shape::unprocessable, "D9120", "Invalid Card_Info/PIN"},
    {Rule::ksn_short, Shape::unprocessable, "D9212", "Invalid Card_Info/KSN must be at least 16 chars"},  // H L6255
    {Rule::terminal_data_missing, Shape::unprocessable, "E9294",
     "terminalData {terminalCapability, terminalOperatingEnvironment, cardholderAuthenticationMethod, "
     "terminalAuthenticationCapability, terminalOutputCapability,maxPinLength} group is required"},  // H L6272
    {Rule::auth_method_not_pin, Shape::unprocessable, "E9295", "cardholderAuthenticationMethod must be PIN"},  // H L6273
    {Rule::verify_swiped, Shape::unprocessable, "", "Card Verification does not allow Swiped requests. B.VB.C06"},  // H L6392
    {Rule::verify_emv, Shape::unprocessable, "", "Card Verification does not allow EMV requests. B.VB.C07"},  // H L6393
    // [SIM] V1's duplicate SequenceNumber within 30 minutes "will not process": H's D0001 /
    // D0003 rows ("the same transaction ID or external reference number", H L5779-L5780).
    {Rule::duplicate_sequence_approved, Shape::unprocessable, "D0001", "Duplicate Request (Approved previously)"},
    {Rule::duplicate_sequence_declined, Shape::unprocessable, "D0003", "Duplicate Request (Declined previously)"},
    {Rule::possible_duplicate, Shape::declined, "D0008", "Possible Duplicate Request"},  // H L5785
    {Rule::capture_no_match, Shape::unprocessable, "",
     "The Capture AuthOnlyGuid value does not have matching results."},  // H L6337
    {Rule::capture_twice, Shape::unprocessable, "", "There is an approved Capture for this AuthOnly already"},  // H L6335
    {Rule::capture_over_authorized, Shape::unprocessable, "D9284",
     "Transaction amount should not be greater than authorized amount"},  // H §9.1 (applicability [I])
    {Rule::void_none, Shape::unprocessable, "",
     "One of SaleGuid, AuthOnlyGuid, ReturnGuid, SaleReferenceNumber, AuthOnlyReferenceNumber or "
     "ReturnReferenceNumber fields is required"},  // H L6396
    {Rule::void_many, Shape::unprocessable, "",
     "Only one of SaleGuid, AuthOnlyGuid, ReturnGuid, SaleReferenceNumber, AuthOnlyReferenceNumber or "
     "ReturnReferenceNumber fields can be accepted"},  // H L6397
    {Rule::void_not_found, Shape::unprocessable, "", "Transaction not found for the given GUID/ReferenceNumber"},  // [E C2]
    {Rule::void_auth_captured, Shape::unprocessable, "",
     "The AuthOnly cannot be voided because it has been captured already"},  // H L6398
    {Rule::void_sale_not_processed, Shape::unprocessable, "", "Sale cannot be voided because it was not processed"},  // H L6400
    {Rule::void_auth_not_processed, Shape::unprocessable, "",
     "AuthOnly cannot be voided because it was not processed"},  // H L6401
    {Rule::void_return_not_processed, Shape::unprocessable, "",
     "Return cannot be voided because it was not processed"},  // H L6402
    {Rule::void_settled, Shape::unprocessable, "", "Transaction already settled"},  // H L6403
    // [SIM] a second void of the same transaction: H's D0004 row ("already reversed", H L5781).
    {Rule::void_again, Shape::unprocessable, "D0004", "Reversal Not Allowed"},
    {Rule::void_reason_chip, Shape::unprocessable, "F9915", "voidReason is Mandatory for Chip Card transaction"},  // H L6299
    {Rule::return_no_sale, Shape::unprocessable, "", "Either the SaleGuid or SaleReferenceNumber are required"},  // H L6366
    {Rule::return_sale_unknown, Shape::unprocessable, "", "Invalid Sale GUID"},  // H L6326 "Invalid (entity) GUID"
    // [SIM] a return of a declined sale: H's D0005 row ("was declined", H L5782).
    {Rule::return_not_allowed, Shape::unprocessable, "D0005", "Return Not Allowed"},
    {Rule::return_not_positive, Shape::unprocessable, "", "The Return Amount must be greater than zero"},  // H L6368
    {Rule::return_too_old, Shape::unprocessable, "", "You can't return a sale run more than 180 days ago"},  // H L6367
    {Rule::return_exceeded, Shape::unprocessable, "", "Original Amount exceeded"},  // H L6369
    {Rule::return_voided, Shape::unprocessable, "", "Sale has been voided"},  // H L6370
    {Rule::return_not_settled, Shape::unprocessable, "", "Sale has not been settled"},  // H L6371, [E C2] 422
    // [SIM] the document has no not-found answer for a timeout reversal (H L1589 is the only one).
    {Rule::reversal_not_found, Shape::unprocessable, "", "Device Guid and Sequence Number combination not found."},
    {Rule::not_found, Shape::unprocessable, "", "Unable to reach entity"},  // H L6465, status [SIM]
    // [SIM] an empty search answers 422 with H's text (L6464), not 200 with count 0.
    {Rule::no_result, Shape::unprocessable, "", "NoResultFound204"},
    {Rule::merchant_unknown, Shape::unprocessable, "", "No Merchant was found for the current User"},  // H L6312
}};
inline constexpr const RuleRow& row_of(Rule r) { return kRules[static_cast<std::size_t>(r)]; }
constexpr bool rules_in_order() {
  for (std::size_t i = 0; i < kRules.size(); ++i)
    if (static_cast<std::size_t>(kRules[i].rule) != i) return false;
  return true;
}
static_assert(rules_in_order(), "kRules lists one row per Rule, in Rule's order");

// HTTP statuses. 200 sale, authonly, capture, return, token; 201 void, verify [E V1]; 422 the
// structured refusal [E C1, C2]; [SIM] 200 timeout reversal (H shows only the body) and batch close.
inline constexpr int kOk = 200;
inline constexpr int kCreated = 201;
inline constexpr int kBadRequest = 400;
inline constexpr int kUnauthorized = 401;
inline constexpr int kUnprocessable = 422;

// Search entities [E H L4802-L5772] and the records each lists.
struct SearchEntity {
  std::string_view name;  // lower case, as the router compares
  TxnType type;
};
inline constexpr std::array<SearchEntity, 5> kSearchEntities = {{
    {"sales", TxnType::sale},
    {"authonlys", TxnType::authorization},
    {"returns", TxnType::refund},
    {"captures", TxnType::capture},
    {"voids", TxnType::void_record},
}};
inline constexpr std::int64_t kDefaultPageSize = 500;  // [E H L4818-L4819]

}  // namespace tender::net::hostsim::connexpay
