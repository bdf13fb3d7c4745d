// What a host returns for a chip card (the issuer's 8A, 91 and 71/72 templates as
// TLV bytes, HostResult::issuer_response_tlv) as the kernel's OnlineResponse.
#pragma once

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/completion.hpp"

namespace tender::app {

// host_reached is set. Tags other than 8A, 91, 71 and 72 are ignored; malformed TLV
// is Errc::malformed (the kernel then treats the host's answer as unusable).
Result<emv::OnlineResponse> online_response_from_issuer_tags(ByteView issuer_tags);

}  // namespace tender::app
