// ConnexPay's answer bodies (camelCase, H's examples and WIRE.md "Answers"): the transaction
// object of each kind, the refusal body and the batch close body.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "net/hostsim/connexpay_constants.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::connexpay {

// What a view needs beyond the record: the records it names and the batch guid of each.
struct ViewContext {
  std::function<const Txn*(std::string_view id)> find;
  std::function<std::string(const Txn&)> batch_guid;
};

// Any record by its type: sale or AuthOnly, capture (with authOnly, sale and relatedSale),
// void (with the voided sale, authOnly or return), return (with its sale), verify.
Json object_of(const Txn& txn, const ViewContext& ctx);

// The amount a record shows: what was approved, or what was asked when declined.
std::int64_t shown_amount(const Txn& txn);
// What a client reads as the record's status text.
std::string_view status_text(const Txn& txn);

// 422 {"message", "errorId"}; a processor code's message is "Error code Xnnnn. <text>." [E C1].
http::Response refusal(const RuleRow& row, std::string_view error_id);
// The message of a refusal (for tests and the declined body).
std::string refusal_message(const RuleRow& row);

// Batch close [E H L4010-L4024]: counts and amounts of the batch's sales and returns.
struct BatchTotals {
  std::int64_t sale_count = 0;
  std::int64_t sale_amount = 0;
  std::int64_t return_count = 0;
  std::int64_t return_amount = 0;
};
Json batch_close_body(const Batch& batch, std::string_view device, const BatchTotals& totals);

}  // namespace tender::net::hostsim::connexpay
