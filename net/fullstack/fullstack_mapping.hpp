// FullStack gateway: host-neutral values <-> v1.5.1 JSON. Pure functions, tested against the
// document's own examples and the family's answers. Amounts are integer cents both ways.
// Requests in fullstack_mapping.cpp, answers in fullstack_records.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.hpp"
#include "common/result.hpp"
#include "net/fullstack/fullstack_api.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::net::fullstack {

struct Terminal {  // GET /api/terminals item (auth_key is dropped: a credential)
  std::string id;
  std::string manufacturer;
  std::string model;
  std::string serial_number;
  std::string description;
  std::string status;
  std::string register_id;
  bool auto_settle = false;
};

// POST /api/transaction/search (L910-L980): criteria left empty are not sent.
struct TransactionSearch {
  std::string status;        // unknown, declined, authorized, pending_settlement, settled, ...
  std::string created_from;  // UTC "YYYY-MM-DDTHH:MM:SSZ"
  std::string created_to;
  int limit = 100;           // 0-100
  int offset = 0;
  std::string order_id{};
  std::string type{};                 // sale, authorize, verification, credit, refund
  std::optional<std::int64_t> amount{};  // cents, "originally requested amount" (L939)
};
// POST /api/settlement/batch/search (L1032-L1042).
struct BatchSearch {
  std::string start_date;  // UTC "YYYY-MM-DDTHH:MM:SSZ"
  std::string end_date;
  int limit = 10;  // 1-100
  int offset = 0;
};
// Ambiguity F8 (§6.24): the batch object is not described; only its "id" is read.
struct SettlementBatch {
  std::string id;
};

// What a recovery reads of a transaction record (GET or search), beside its HostResult.
// Absent fields are empty / nullopt: the recovery decides what it can prove without them.
struct Record {
  host::HostResult result;
  std::string status;           // lifecycle (L946)
  std::string type;             // sale, authorize, verification, credit, refund
  std::string order_id{};
  std::string idempotency_key;  // "" when the host does not echo it
  std::optional<std::int64_t> amount;           // cents, as requested
  std::optional<std::int64_t> amount_captured;
  std::optional<std::int64_t> amount_refunded;
};
struct RecordPage {
  std::vector<Record> records;
  std::optional<std::int64_t> total_count;  // every match, beyond this page
};

// idempotency_key is "uint(uuid format)" (L277): the reference_id in UUID text form.
bool is_uuid(std::string_view text) noexcept;
// Our order_id for a reference id (kOrderIdLength lowercase base32 characters from the
// UUID's random bits): the same reference always gives the same order_id, so the recovery
// finds the transaction by it. "" when the reference is not a UUID.
std::string order_id_for(std::string_view reference_id);
// "YYYY-MM-DDTHH:MM:SSZ" of a Unix time (the search's QueryDateRange, L957).
std::string utc_text(std::int64_t unix_seconds);

// POST /api/transaction body (L262-L421). Errc::unsupported for chip/contactless card data
// or an online PIN (the API has no field for them), Errc::invalid_argument for bad input.
// `processor_id` is sent when not empty (L288).
Result<std::string> transaction_body(const host::AuthorizationRequest& request, api::TransactionType type,
                                     std::string_view processor_id = {});
Result<std::string> amount_body(const std::optional<Money>& amount);  // capture, refund
std::string transaction_search_body(const TransactionSearch& search);
std::string batch_search_body(const BatchSearch& search);
Result<std::string> fees_body(const host::CalculateAmountRequest& request);
// POST /api/calculate/amounts (L562-L785); `country` goes with a BIN ("if surcharge allowed").
Result<std::string> calculate_amounts_body(const host::CalculateAmountRequest& request, std::string_view processor_id);

// The envelope {status, msg, data}; a transaction in data (object, or array of one as GET
// returns it, L836) gives the HostResult.
Result<host::HostResult> parse_transaction_response(std::string_view body, Currency currency);
// A follow-on (capture/void/refund): success with data null (void, L1003) is approved.
// `capture`: the answer to a capture, whose approved amount is amount_captured.
Result<host::HostResult> parse_follow_on_response(std::string_view body, Currency currency, std::string_view host_reference,
                                                  bool capture = false);
Result<std::vector<host::HostResult>> parse_transaction_list(std::string_view body, Currency currency);
// A search's or a GET's transactions as records (data an array, an object, or null).
Result<RecordPage> parse_records(std::string_view body, Currency currency);
// What a transaction's status says it holds now (kStatus), for a record whose code is not final.
std::optional<host::Outcome> status_outcome(std::string_view status);
Result<std::vector<SettlementBatch>> parse_batches(std::string_view body);
Result<std::vector<Terminal>> parse_terminals(std::string_view body);
Result<host::CalculateAmountResult> parse_fees(std::string_view body, Money base);
Result<host::CalculateAmountResult> parse_calculated_amounts(std::string_view body, Money base);
// {status:"failed", msg} of a refused request: the msg, or "" when the body has none.
std::string failure_message(std::string_view body);
// A JSON envelope whose status is not "success" (a refusal even with HTTP 2xx: [GO] errors.go
// "either with a non-2xx HTTP status or with a "failed" envelope"): its msg. nullopt otherwise.
std::optional<std::string> refused_envelope(std::string_view body);
// An empty body or a {"status":"success"} envelope (terminal settle, L1018: nothing documented).
bool envelope_accepted(std::string_view body);

}  // namespace tender::net::fullstack
