// Host-neutral values <-> ConnexPay v1 JSON (connexpay_api.hpp has every name's source).
// Requests: connexpay_mapping.cpp. Answers: connexpay_answers.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "net/connexpay/connexpay_api.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::net::connexpay {

// ---- host_reference: "<kind>:<guid>" (decided here, once).
// The void names its target by SaleGuid, AuthOnlyGuid or ReturnGuid [E H L2735, V1], and a
// bare guid does not say which; asking the host first would be a guess on the network. So
// the kind travels with the guid in HostResult::host_reference, which the journal persists
// (a restart keeps it) and which no host ever sees: only the guid goes on the wire. A
// capture's host_reference is "sale:<the new sale's guid>", the id later voids and returns
// name [E C2]. lookup() reads the kind to pick its GET path.
enum class TxKind { sale, authonly, return_, void_, verify };
struct HostRef {
  TxKind kind = TxKind::sale;
  std::string guid;
};
std::string host_reference_for(TxKind kind, std::string_view guid);
// nullopt: no known kind, or a guid that is not a 36-character UUID (it goes into paths).
std::optional<HostRef> parse_host_reference(std::string_view text);

bool is_uuid(std::string_view text) noexcept;
// SequenceNumber: reference_id without its hyphens (32 hex) [WIRE.md: V1 alphanumeric max 100].
std::string sequence_number_for(std::string_view reference_id);

// ---- Requests.
enum class PaymentKind { sale, authonly };
Result<std::string> payment_body(const host::AuthorizationRequest& request, PaymentKind kind, std::string_view device_guid);
// Keyed only (B.VB.C06/C07): Errc::unsupported for any other entry mode.
Result<std::string> verify_body(const host::AuthorizationRequest& request, std::string_view device_guid);
std::string capture_body(std::string_view device_guid, std::string_view authonly_guid, const std::optional<Money>& new_amount);
std::string void_body(std::string_view device_guid, const HostRef& target, api::VoidReasonCode reason);
Result<std::string> return_body(std::string_view device_guid, std::string_view sale_guid, const Money& amount,
                                std::string_view reference_id);
std::string device_body(std::string_view device_guid);  // batch close
std::string timeout_reversal_body(std::string_view device_guid, std::string_view sequence_number);
std::string token_body(std::string_view username, const SecretString& password);

struct SearchQuery {
  std::string merchant_guid;
  std::string order_number;       // empty: not a filter
  std::string guid;               // empty: not a filter
  std::optional<Money> amount;    // AmountFrom = AmountTo
  std::string timestamp_from;     // "YYYY-MM-DD"; empty: not a filter
};
std::string search_body(const SearchQuery& query);
// "YYYY-MM-DD" of a Unix time (UTC).
std::string utc_date(std::int64_t unix_seconds);

// ---- Answers (connexpay_answers.cpp).
// A transaction object of a 2xx answer (sale, authonly, return, void, verify, or a GET).
Result<host::HostResult> parse_transaction(std::string_view body, Currency currency, TxKind kind);
// A capture's answer: host_reference = "sale:" + the new sale's guid (sale / relatedSale).
Result<host::HostResult> parse_capture(std::string_view body, Currency currency);
// A non-2xx answer: 422 "Error code Dxxxx. ..." -> declined; other 4xx -> error; 5xx -> unknown.
host::HostResult refused_answer(int status, std::string_view body);

// What recovery reads of a record (a search row or a GET).
struct Record {
  host::HostResult result;  // outcome from status/wasProcessed, host_reference of `kind`
  std::string guid;
  std::string device_guid;
  std::string batch_status;
  std::string order_number;
  std::string sale_guid;                 // a return's sale
  std::optional<Money> amount;
  std::optional<Money> effective_amount;
  bool voided = false;                   // relatedVoid set, or effectiveAmount 0 of an approved one
  std::string related_capture_guid;      // an AuthOnly's capture, when its record names one
  bool capture_known = false;            // the record has a relatedCapture member (null or not)
};
Result<Record> parse_record(std::string_view body, Currency currency, TxKind kind);
// A search answer: rows of `kind`; "NoResultFound204" (any status) or 204 is no rows;
// anything else that is not a 2xx {count, ret} is Errc::io_error (the search could not be read).
Result<std::vector<Record>> parse_search(int status, std::string_view body, Currency currency, TxKind kind);

struct Token {
  SecretString access_token;
  std::int64_t expires_in = 0;
};
Result<Token> parse_token(std::string_view body);
host::SettleResult parse_batch_close(int status, std::string_view body);
// The documented timeout reversal success (a bare JSON string) [E H L1589].
bool is_timeout_reversed(int status, std::string_view body);

}  // namespace tender::net::connexpay
