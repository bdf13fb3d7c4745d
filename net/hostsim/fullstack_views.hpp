// FullStack response bodies: the envelope and the objects, in the document's shapes.
#pragma once

#include <string_view>

#include "net/hostsim/json_util.hpp"
#include "net/hostsim/store.hpp"
#include "net/http/message.hpp"

namespace tender::net::hostsim::fullstack {

http::Response envelope(int status, const Json& data, std::string_view msg = "success");
http::Response list_envelope(const Json& data, std::size_t total_count);
http::Response failure(int status, std::string_view msg);  // {"status":"failed","msg":...}

// The transaction object of every answer (POST, GET, search, capture, refund) in the
// FluidPay-family shape (fullstack_views.cpp says why): response (verdict string),
// response_code (int), response_body.card, amounts, idempotency_key/_time, order_id.
Json transaction(const Txn& txn);
Json batch(const Batch& batch);
Json terminal();  // the document's example terminal (§5.4): the simulator's only terminal
inline constexpr std::string_view kTerminalId = "1ucio551tlv85l7moe5s";

}  // namespace tender::net::hostsim::fullstack
