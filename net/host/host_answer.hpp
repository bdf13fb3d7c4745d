// What the engine may believe of a host's answer, decided once for every adapter.
//  * Host text is untrusted: a message, code or id may carry a PAN or a track (a host that
//    echoes its input, or a hostile one). sanitize() runs every string through the log
//    scrubber, strips control characters, bounds lengths, and checks the fields that have a
//    known shape (an auth code is 1-8 letters and digits; a host id is printable without
//    spaces): a field of the wrong shape is dropped, never printed or stored.
//  * An approved amount is checked against the request: above it, zero, negative, or in
//    another currency is a host error (the engine reverses and reports it); below it is a
//    partial approval whatever the host's code said.
#pragma once

#include <optional>

#include "common/money.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::net::host {

// Bounds on what a receipt line, a journal column and a display can take.
inline constexpr std::size_t kMaxHostMessage = 160;
inline constexpr std::size_t kMaxHostId = 64;
inline constexpr std::size_t kMaxAuthCode = 8;

// Returns what was dropped for failing its shape (for the log; empty when nothing was).
std::string sanitize(HostResult& result);

enum class ApprovalCheck { full, partial, host_error };
// `approved` absent: the host approved what was asked.
ApprovalCheck check_approved_amount(const Money& requested, const std::optional<Money>& approved) noexcept;

}  // namespace tender::net::host
