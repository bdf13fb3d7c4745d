// Certification Authority Public Keys from JSON, as drivers/icc/sim/pki/capk.json
// and acquirers' key files give them:
//   {"capks":[{"rid":"A000000003","index":"E1","modulus":HEX,"exponent":"03",
//              "checksum":HEX,"expiry":"YYMMDD"}]}
// Every key's checksum is verified (Book 2 11.2.2): a key that does not match its
// checksum is refused, never loaded; so is a second key of the same RID and index. Other
// members (a key's "scheme" or "source", the file's "note") are documentation and ignored.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "emv/capk.hpp"

namespace tender::app {

Result<std::vector<emv::Capk>> parse_capk_json(std::string_view json_text);

}  // namespace tender::app
