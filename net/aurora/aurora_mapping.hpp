// Aurora ARISE: host-neutral values <-> pay-api v1 JSON. Pure functions, no I/O, so
// each mapping is tested against the document's own examples.
#pragma once

#include <string>
#include <string_view>

#include "common/money.hpp"
#include "common/result.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::net::aurora {

enum class AuthKind { auth, sale };

// The S2 (auth) / S3 (sale) body. Errc::invalid_argument for inconsistent card data,
// Errc::unsupported for a currency or card data Aurora has no field for.
Result<std::string> authorization_body(const host::AuthorizationRequest& request, AuthKind kind,
                                       std::string_view payment_processor_id);
Result<std::string> capture_body(const host::CaptureRequest& request);
Result<std::string> void_body(const host::VoidRequest& request);
Result<std::string> return_body(const host::RefundRequest& request);
Result<std::string> tip_adjust_body(const host::TipAdjustRequest& request);
std::string settle_body(std::string_view payment_processor_id);

// The authorization result (S2/S3/S6) and the generic transaction result (S4/S5/S8/S10).
Result<host::HostResult> parse_transaction_result(std::string_view body, Currency currency);
// The transaction detail (S9) or one list item (S1) found by referenceId.
Result<host::HostResult> parse_transaction_detail(std::string_view body, Currency currency);
// The list (S1): Errc::not_found when it holds no item.
Result<host::HostResult> parse_transaction_list(std::string_view body, Currency currency, std::string_view reference_id);
Result<host::SettleResult> parse_settle_result(std::string_view body);
Result<host::CalculateAmountResult> parse_calculate_result(std::string_view body, Currency currency);

// Splits BER-TLV bytes into top-level elements (for emvTags); Errc::malformed if they do not parse.
Result<std::vector<Bytes>> split_tlv(ByteView tlv);

}  // namespace tender::net::aurora
