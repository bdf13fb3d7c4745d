// Aurora ARISE: host-neutral values <-> pay-api v1 JSON. Pure functions, no I/O, so each
// mapping is tested against the vendor's own examples. Requests in aurora_mapping.cpp,
// answers in aurora_parse.cpp; the constants and their sources in aurora_api.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.hpp"
#include "common/result.hpp"
#include "net/host/host_adapter.hpp"
#include "net/http/message.hpp"

namespace tender::net::aurora {

enum class AuthKind { auth, sale };

// The S2 (auth) / S3 (sale) body. Errc::invalid_argument for inconsistent card data,
// Errc::unsupported for a currency, card data or surcharge Aurora has no way to carry.
Result<std::string> authorization_body(const host::AuthorizationRequest& request, AuthKind kind,
                                       std::string_view payment_processor_id);
// `amount` is always sent (required in IOS CaptureRequestDto): the request's, or the
// original's capturable amount when the engine gave none.
Result<std::string> capture_body(const host::CaptureRequest& request, const Money& amount);
Result<std::string> void_body(const host::VoidRequest& request);
Result<std::string> return_body(const host::RefundRequest& request);
Result<std::string> tip_adjust_body(const host::TipAdjustRequest& request);
std::string settle_body(std::string_view payment_processor_id);

// The surchargeRate (a percent) that turns `base` into exactly `surcharge` under the host's
// rounding; Errc::unsupported when no rate of at most kSurchargeRateDecimals decimals does.
// The rate is a decimal carried as a Money of the pseudo-currency XXX whose exponent is its
// number of decimals, so JsonWriter::decimal writes it exactly ("3.5", never a double).
Result<Money> surcharge_rate(const Money& base, const Money& surcharge);

// The application cryptogram (EMV tag 9F26) of a chip request, upper-case hex; "" when none.
// Unique per chip transaction: the host's record of it (detail emvTags.ac) names it exactly.
std::string request_cryptogram(const host::AuthorizationRequest& request);

// The last four digits of the card in a request (keyed PAN, track 2, track 1, or EMV tag 57 /
// 5A), "" when none can be read. Only for matching the host's masked customerPan: never logged.
std::string card_last4(const host::AuthorizationRequest& request);

// ---- Answers (aurora_parse.cpp) ----

// The authorization result (S2/S3/S6, IOS L1177) and the generic transaction result (S4/S5/
// S8/S10, IOS L9639) of `operation`. The outcome comes from `status` and `details.code` (one
// table, aurora_api.hpp kStatus / kDetailsCode). Errors are typed; the adapter turns any error
// of an HTTP 200 answer into Outcome::unknown (the host may have acted: recover).
Result<host::HostResult> parse_transaction_result(std::string_view body, Currency currency, host::Operation operation);

// What the host's record of one transaction says: a list item (S1, IOS L4811) or a detail
// (S9, IOS L4699). A fact the record lacks, or that does not parse, is absent (nullopt / ""),
// never guessed.
struct Record {
  std::string id;
  std::string status;  // as the host names it; "" when absent
  host::Outcome outcome = host::Outcome::unknown;
  std::optional<int> type_id;  // typeId (list) / transactionTypeId (detail)
  std::string auth_code;
  std::optional<Money> base, tip, total;
  std::string last4;                      // of the masked customerPan
  std::optional<std::int64_t> date_unix;  // list `date`, detail `transactionDateTime`
  std::string processor_id;               // list paymentProcessorId
  std::optional<int> card_data_source;    // detail cardDataSourceId (IOS L4728)
  std::string ac;                         // detail emvTags.ac: the chip's application cryptogram
  std::optional<Money> capturable;        // availableOperations typeId 3 availableAmount
  bool voidable = false;                  // availableOperations has typeId 4
  bool refundable = false;                // availableOperations has typeId 5
};
Result<Record> parse_detail(std::string_view body, Currency currency);
struct Page {
  std::vector<Record> items;
  std::optional<std::int64_t> total;  // every match, not just this page
};
Result<Page> parse_list(std::string_view body, Currency currency);
// The host's record as a result: the approved amount is its total when it is approved.
host::HostResult result_of(const Record& record);
// The transaction detail (S9) as a result (lookup by host reference).
Result<host::HostResult> parse_transaction_detail(std::string_view body, Currency currency);

// An error answer (IOS AspNet_Swagger_Examples_*ExceptionExample, keys in any case): the
// HTTP status as the code, `details` (and `errorCode`) as the message.
void read_error_body(std::string_view body, host::HostResult& result);
// The answer's correlation id: the headers FLUTE reads, then the body's correlationId.
std::string correlation_id(const http::Response& response);

Result<host::SettleResult> parse_settle_result(std::string_view body);

// calculate-amount (S12, IOS L6187): the credit card, debit card and cash breakdowns. The seam
// (CalculateAmountResult) carries card and cash; `debit` is here for when it carries more.
struct CalculatedAmounts {
  host::AmountBreakdown credit;
  std::optional<host::AmountBreakdown> debit;
  std::optional<host::AmountBreakdown> cash;
};
Result<CalculatedAmounts> parse_calculate_result(std::string_view body, Currency currency);

// "2025-01-09T13:27:49.6993001Z" (RAW S1) or "2019-08-24T14:15:22Z" (the placeholder), with
// any number of fraction digits and Z, +hh:mm or no zone (read as UTC): whole seconds.
std::optional<std::int64_t> parse_utc_seconds(std::string_view text);

// An HTTP Date header (RFC 9110 §5.6.7 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"): seconds.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Splits BER-TLV bytes into top-level elements (for emvTags); Errc::malformed if they do not parse.
Result<std::vector<Bytes>> split_tlv(ByteView tlv);

}  // namespace tender::net::aurora
