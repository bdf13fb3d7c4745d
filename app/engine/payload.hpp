// The sealed part of a journal row: what the engine needs to send a request again
// (forward an offline sale, replay after a lost answer) and nothing else. It travels
// only through Journal::seal / unseal; the JSON text is wiped as soon as it is sealed
// or parsed.
#pragma once

#include "common/result.hpp"
#include "common/secret.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::app {

SecretBytes encode_payload(const net::host::AuthorizationRequest& request);
// Errc::malformed when the bytes are not a payload this version wrote.
Result<net::host::AuthorizationRequest> decode_payload(ByteView bytes, Currency currency);

// A second UUID derived from a transaction's reference id (SHA-256, formatted as a version 4
// UUID): the reversal's own idempotency key, the same on every retry and after a restart.
std::string derived_reference(std::string_view reference_id, std::string_view purpose);

// A random UUID v4 from crypto::random_bytes (the default reference id).
std::string random_uuid();

}  // namespace tender::app
