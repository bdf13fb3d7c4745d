// Aurora response bodies, in the vendor's shapes: RAW's examples (specs/aurora-arise.md §7) for
// key order and values, the IOS schemas for the fields RAW's placeholders do not show.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::aurora {

// The status a record shows: the lifecycle's, with an authorization approved for part of its
// amount shown as PartiallyAuthorized (IOS transactionStatus 7; a partial sale shows Captured:
// sim).
IdName status_view(const Txn& txn);

// The authorization result (RAW E3, IOS L1177 AuthorizationResponseDto) of auth, sale and the
// return without reference; `shown` overrides the status the answer reports (Pending).
// `issuer_tags`: the simulator's option (AuroraConfig::issuer_emv_data) to add the chip
// issuer's response tags as `emvTags`; no vendor answer has such a field.
Json authorization_result(const Txn& txn, IdName type, std::optional<IdName> shown, bool issuer_tags);
// The generic transaction result (RAW E6, IOS L9639) of capture, void, return, tip adjustment.
Json operation_result(const Txn& txn, IdName type, std::string_view date_time);
// The transaction detail (RAW E11, IOS L4699 GetIsvTransactionResponseDto).
Json detail(const Txn& txn);
// One item of the list (RAW E1, IOS L4811 GetIsvTransactionsResponseDto).
Json list_item(const Txn& txn);
// One settlement batch (IOS L5411 GetSettlementBatchesResponseDto).
Json batch_item(const Batch& batch, std::int64_t sales, std::int64_t refunds);
// An error body (IOS AspNet_Swagger_Examples_*ExceptionExample); `errors` is the validation
// example's field -> messages object (null when none).
Json error_body(int status, std::string_view details, std::string_view correlation_id, Json errors = nullptr);
// The source of a record: who made it (list `source`, detail `source`).
Json source_of(const Txn& txn);
// The UUID a client shows as source.id / createdById (sim: derived from its client id).
std::string client_uuid(std::string_view client_id);

}  // namespace tender::net::hostsim::aurora
