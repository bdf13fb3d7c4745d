// What the counter's 4x20 display says about how a transaction ended: short messages made for
// 20 columns, looked up in one table from the engine's reason (display_text.cpp). The reason
// itself, in the engine's full words, stays in the journal, the log and the report.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "app/engine/engine.hpp"

namespace tender::app {

inline constexpr std::size_t kDisplayTextColumns = 20;

// The line under APPROVED / DECLINED / CANCELLED: at most kDisplayTextColumns characters,
// never cut from a longer sentence. A host's own decline text is shown when it fits (it is
// the issuer's word to the cardholder); `auth_code` goes on an approval.
std::string display_text(TxnOutcome outcome, std::string_view reason, std::string_view host_message = {},
                         std::string_view auth_code = {});

// The tables display_text() reads, for the documents generated from them (tender-emu's
// SCREENS.md): the reasons by how they begin, first match wins; and the word per outcome when
// no reason matches.
std::span<const std::pair<std::string_view, std::string_view>> display_reason_texts() noexcept;
std::span<const std::pair<TxnOutcome, std::string_view>> display_outcome_texts() noexcept;

}  // namespace tender::app
