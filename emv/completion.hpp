// Completion after an ARQC: Online Processing (EMV 4.4 Book 3 10.9: the issuer's
// Authorisation Response Code, issuer authentication by EXTERNAL AUTHENTICATE or in
// CDOL2), Issuer-to-Card Script Processing (10.10: '71' before and '72' after the final
// GENERATE AC) and Completion (10.11: the second GENERATE AC with CDOL2).
#pragma once

#include <optional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/action_analysis.hpp"
#include "emv/context.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

// What the host said, host-neutral.
struct OnlineResponse {
  bool host_reached = false;
  Bytes arc;                          // 8A, 2 bytes an ("00")
  Bytes issuer_authentication_data;   // 91, 8..16 bytes
  Bytes issuer_scripts;               // '71' / '72' templates as TLV bytes
};

// Book 4 Annex A6 and the acquirer's codes: "00", "08", "10", "11" approve.
[[nodiscard]] bool arc_approves(ByteView arc);

// Book 3 10.10, Issuer Script Results (9F5B) entry byte 1: result in bits 8-5, the
// sequence number of the failing command (1..14, F for 15 and above) in bits 4-1.
enum class ScriptResult : Byte { not_performed = 0x00, failed = 0x10, successful = 0x20 };

// Runs every `template_tag` ('71' or '72') script in `scripts`: each Issuer Script
// Command (86) in order until one answers other than 9000/62xx/63xx. Appends 5 bytes per
// script (result | sequence, Issuer Script Identifier 9F18 or 00000000) to the terminal's
// 9F5B, sets TSI "script processing was performed" and, on failure, TVR "script
// processing failed before/after final GENERATE AC". Malformed scripts count as failed.
// Errors: transport failures only.
Result<void> issuer_script_processing(Context& ctx, Ttl& ttl, ByteView scripts, Tag template_tag);

// Book 3 10.9: EXTERNAL AUTHENTICATE with 91 when the AIP says issuer authentication is
// supported (TSI "issuer authentication was performed"; TVR "issuer authentication
// failed" unless 9000). Errors: transport failures only.
Result<void> issuer_authentication(Context& ctx, Ttl& ttl, ByteView issuer_authentication_data);

struct Completion {
  CardDecision decision;     // the second GENERATE AC
  bool host_reached = false;
  bool approved = false;     // the card's final answer is a TC (and CDA, if any, verified)
};

// Book 3 10.9-10.11 after the card asked for ARQC. With the host reached: ARC (8A) and
// 91 go to the terminal data, issuer authentication, '71' scripts, GENERATE AC for a TC
// when the ARC approves (AAC otherwise), '72' scripts. Unable to go online: the default
// action codes decide (TC with ARC "Y3", AAC with "Z3"; Book 4 Annex A6). Errors
// terminate (transport failure, or the card answering the second GENERATE AC outside
// the protocol).
Result<Completion> complete_transaction(Context& ctx, Ttl& ttl, const OnlineResponse& response);

}  // namespace tender::emv
