// Application selection, EMV 4.4 Book 1 section 12 (and Book 3 section 12 for the
// terminal side): the candidate list from the Payment System Environment directory
// (12.3.2) or, when that gives nothing, from the terminal's list of AIDs (12.3.3); then
// final selection (12.4) with the cardholder's choice or confirmation through KernelUi.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "emv/context.hpp"
#include "emv/tal.hpp"
#include "emv/terminal_config.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

// "1PAY.SYS.DDF01", the DF name of the Payment System Environment.
ByteView pse_name() noexcept;

enum class SelectionOutcome {
  selected,               // a candidate list was built / an application is selected
  no_common_application,  // nothing the card and the terminal share (the app may fall back)
  card_blocked,           // '6A81' to SELECT: card blocked or SELECT not supported
  cancelled,              // the cardholder cancelled or declined the only application
  card_error,             // the card went mute or answered outside the protocol
};
std::string_view name(SelectionOutcome outcome) noexcept;

struct CandidateList {
  SelectionOutcome outcome = SelectionOutcome::selected;
  std::vector<Candidate> candidates;  // in priority order (order_by_priority)
  std::string reason;
};

// The TerminalConfig::aids entry that `adf_name` matches: the same AID, or (partial
// selection allowed by its ASI) an ADF name that starts with the terminal AID.
std::optional<std::size_t> match_terminal_aid(const TerminalConfig& config, ByteView adf_name);

// Book 1 12.3.2: SELECT the PSE and read its directory. Empty when there is no PSE, it is
// blocked, or its directory is malformed (the list of AIDs follows); card_blocked on 6A81.
CandidateList candidates_from_pse(Ttl& ttl, const TerminalConfig& config);
// Book 1 12.3.3: SELECT each terminal AID, with P2 = 02 for further occurrences when
// the card's DF name is longer than the terminal AID. Blocked applications (6283) are
// not candidates.
CandidateList candidates_from_list_of_aids(Ttl& ttl, const TerminalConfig& config);
// Both, as Book 1 12.3 orders them.
CandidateList build_candidate_list(Ttl& ttl, const TerminalConfig& config);

// Book 1 12.4: priority 1 first, up to 15, then the applications without a priority;
// otherwise the order they were found in.
void order_by_priority(std::vector<Candidate>& candidates);

struct Selection {
  SelectionOutcome outcome = SelectionOutcome::no_common_application;
  Candidate candidate;
  Fci fci;
  Bytes fci_data;  // the '6F' template as the card sent it
  std::string reason;
};

// Book 1 12.4: picks a candidate (the cardholder from KernelUi when there are several,
// confirmation when the priority asks for it), SELECTs it, and checks its FCI. A candidate
// whose SELECT fails is removed from `candidates` and selection starts again.
Selection final_selection(Ttl& ttl, std::vector<Candidate>& candidates,
                          const TerminalConfig& config, KernelUi& ui);

}  // namespace tender::emv
