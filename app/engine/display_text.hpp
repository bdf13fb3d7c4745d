// What the counter's 4x20 display says about how a transaction ended: short messages made for
// 20 columns, looked up in one table from the engine's reason (display_text.cpp). The reason
// itself, in the engine's full words, stays in the journal, the log and the report.
#pragma once

#include <string>
#include <string_view>

#include "app/engine/engine.hpp"

namespace tender::app {

inline constexpr std::size_t kDisplayTextColumns = 20;

// The line under APPROVED / DECLINED / CANCELLED: at most kDisplayTextColumns characters,
// never cut from a longer sentence. A host's own decline text is shown when it fits (it is
// the issuer's word to the cardholder); `auth_code` goes on an approval.
std::string display_text(TxnOutcome outcome, std::string_view reason, std::string_view host_message = {},
                         std::string_view auth_code = {});

}  // namespace tender::app
