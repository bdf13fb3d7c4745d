#include "emv/selection.hpp"

#include <algorithm>
#include <array>

#include "common/log.hpp"
#include "emv/tlv_view.hpp"

namespace tender::emv {
namespace {

constexpr std::array<Byte, 14> kPse = {'1', 'P', 'A', 'Y', '.', 'S', 'Y', 'S',
                                       '.', 'D', 'D', 'F', '0', '1'};
// Bounds on what a card can make the terminal do.
constexpr std::size_t kMaxOccurrences = 16;   // SELECT next per terminal AID
constexpr unsigned kMaxDirectoryRecords = 32;

// Card text (labels, names) as printable ASCII: anything else becomes '?'.
std::string printable(ByteView text, std::size_t max_length = 16) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max_length; ++i) {
    const Byte b = text[i];
    out.push_back(b >= 0x20 && b < 0x7F ? static_cast<char>(b) : '?');
  }
  return out;
}

CandidateList outcome(SelectionOutcome o, std::string reason) {
  return CandidateList{o, {}, std::move(reason)};
}

// The objects of one Application Template '61' that selection reads, the first of each.
struct DirectoryEntry {
  const Byte* contents = nullptr;  // the template's, to know its objects in the walk
  FirstOf<4> fields{{0x4F, 0x50, 0x9F12, 0x87}};
};

// One directory record (Book 1 12.2.3): '70' holding Application Templates '61', read
// in one walk. Returns false when the record is not a well-formed '70'.
bool add_directory_entries(ByteView record, const TerminalConfig& config,
                           std::optional<Byte> code_table, std::vector<Candidate>& out) {
  std::vector<DirectoryEntry> entries;
  const auto single = walk_single(record, [&](const TlvObject& object, TlvParent parent, const TlvObject& top) {
    if (parent.is(top)) {
      if (object.tag == 0x61 && object.constructed()) entries.push_back(DirectoryEntry{object.value.data()});
    } else if (!entries.empty() && parent.contents == entries.back().contents) {
      entries.back().fields.offer(object);
    }
  });
  if (!single || !*single || (*single)->tag != 0x70) return false;
  for (const DirectoryEntry& entry : entries) {
    const auto& adf = entry.fields[0x4F];
    const auto& label = entry.fields[0x50];
    // An entry without an ADF name is a DDF (9D) or malformed: not followed.
    if (!adf || adf->value.size() < 5 || adf->value.size() > 16 || !label) continue;
    const auto index = match_terminal_aid(config, adf->value);
    if (!index) continue;
    Candidate c;
    c.adf_name.assign(adf->value.begin(), adf->value.end());
    c.label = printable(label->value);
    if (const auto& name = entry.fields[0x9F12]) c.preferred_name = printable(name->value);
    if (const auto& priority = entry.fields[0x87]; priority && priority->value.size() == 1) {
      c.priority = priority->value[0];
    }
    c.issuer_code_table_index = code_table;
    c.aid_index = *index;
    out.push_back(std::move(c));
  }
  return true;
}

Candidate candidate_from_fci(const Fci& fci, std::size_t aid_index) {
  Candidate c;
  c.adf_name = fci.df_name;
  c.label = printable(fci.label);
  c.preferred_name = printable(fci.preferred_name);
  c.priority = fci.priority;
  c.issuer_code_table_index = fci.issuer_code_table_index;
  c.aid_index = aid_index;
  return c;
}

}  // namespace

ByteView pse_name() noexcept { return kPse; }

std::string_view name(SelectionOutcome o) noexcept {
  switch (o) {
    case SelectionOutcome::selected:
      return "selected";
    case SelectionOutcome::no_common_application:
      return "no common application";
    case SelectionOutcome::card_blocked:
      return "card blocked";
    case SelectionOutcome::cancelled:
      return "cancelled";
    case SelectionOutcome::card_error:
      return "card error";
  }
  return "unknown";
}

std::optional<std::size_t> match_terminal_aid(const TerminalConfig& config, ByteView adf_name) {
  for (std::size_t i = 0; i < config.aids.size(); ++i) {
    const Bytes& aid = config.aids[i].aid;
    if (aid.empty() || adf_name.size() < aid.size()) continue;
    if (!std::equal(aid.begin(), aid.end(), adf_name.begin())) continue;
    if (adf_name.size() == aid.size() || config.aids[i].partial_selection) return i;
  }
  return std::nullopt;
}

CandidateList candidates_from_pse(Ttl& ttl, const TerminalConfig& config) {
  auto selected = select(ttl, kPse);
  if (!selected) return outcome(SelectionOutcome::card_error, selected.error().message);
  if (selected->meaning == SwMeaning::function_not_supported) {
    return outcome(SelectionOutcome::card_blocked, "SELECT PSE returned 6A81");
  }
  CandidateList list;
  if (!selected->ok()) return list;  // no PSE, or PSE blocked: list of AIDs
  auto fci = parse_fci(selected->data);
  if (!fci || !fci->sfi || *fci->sfi == 0 || *fci->sfi > 10) {
    log::info("emv.selection", "PSE FCI unusable; using the list of AIDs");
    return list;
  }
  for (unsigned record = 1; record <= kMaxDirectoryRecords; ++record) {
    auto read = read_record(ttl, *fci->sfi, static_cast<Byte>(record));
    if (!read) return outcome(SelectionOutcome::card_error, read.error().message);
    if (read->meaning == SwMeaning::record_not_found) return list;
    if (!read->ok() || !add_directory_entries(read->data, config, fci->issuer_code_table_index,
                                              list.candidates)) {
      // Book 1 12.3.2: a directory that cannot be read is abandoned for the list of AIDs.
      log::info("emv.selection", "PSE directory record unusable; using the list of AIDs");
      return CandidateList{};
    }
  }
  return list;
}

CandidateList candidates_from_list_of_aids(Ttl& ttl, const TerminalConfig& config) {
  CandidateList list;
  for (std::size_t index = 0; index < config.aids.size(); ++index) {
    const AidConfig& terminal_aid = config.aids[index];
    if (terminal_aid.aid.size() < 5 || terminal_aid.aid.size() > 16) continue;
    SelectOccurrence occurrence = SelectOccurrence::first;
    for (std::size_t round = 0; round < kMaxOccurrences; ++round) {
      auto selected = select(ttl, terminal_aid.aid, occurrence);
      if (!selected) return outcome(SelectionOutcome::card_error, selected.error().message);
      if (selected->meaning == SwMeaning::function_not_supported) {
        return outcome(SelectionOutcome::card_blocked, "SELECT returned 6A81");
      }
      const bool usable = selected->ok();
      if (!usable && selected->meaning != SwMeaning::selected_file_invalidated) break;
      auto fci = parse_fci(selected->data);
      if (!fci) break;
      const Bytes& df = fci->df_name;
      const bool exact = df == terminal_aid.aid;
      const bool longer = df.size() > terminal_aid.aid.size() && df.size() <= 16 &&
                          std::equal(terminal_aid.aid.begin(), terminal_aid.aid.end(), df.begin());
      if (!exact && !longer) break;
      // A card naming the same application again would loop: that ends this AID.
      if (std::ranges::any_of(list.candidates, [&](const Candidate& c) { return c.adf_name == df; })) break;
      if (usable && (exact || terminal_aid.partial_selection)) {
        list.candidates.push_back(candidate_from_fci(*fci, index));
      }
      if (exact) break;
      occurrence = SelectOccurrence::next;
    }
  }
  return list;
}

CandidateList build_candidate_list(Ttl& ttl, const TerminalConfig& config) {
  CandidateList list;
  if (config.pse_supported) {
    list = candidates_from_pse(ttl, config);
    if (list.outcome != SelectionOutcome::selected) return list;
  }
  if (list.candidates.empty()) list = candidates_from_list_of_aids(ttl, config);
  if (list.outcome != SelectionOutcome::selected) return list;
  if (list.candidates.empty()) {
    return outcome(SelectionOutcome::no_common_application, "no application in common with the card");
  }
  order_by_priority(list.candidates);
  return list;
}

void order_by_priority(std::vector<Candidate>& candidates) {
  std::ranges::stable_sort(candidates, [](const Candidate& a, const Candidate& b) {
    const int pa = a.priority_number() == 0 ? 16 : a.priority_number();
    const int pb = b.priority_number() == 0 ? 16 : b.priority_number();
    return pa < pb;
  });
}

namespace {

Selection selection_outcome(SelectionOutcome o, std::string reason) {
  Selection s;
  s.outcome = o;
  s.reason = std::move(reason);
  return s;
}

// Book 1 12.4 steps 1-3: which candidate to try. nullopt with `stop` set ends selection.
std::optional<std::size_t> choose(const std::vector<Candidate>& candidates,
                                  const TerminalConfig& config, KernelUi& ui,
                                  std::optional<Selection>& stop) {
  if (candidates.size() == 1) {
    if (!candidates[0].confirmation_required()) return 0;
    if (!config.cardholder_confirmation) {
      stop = selection_outcome(SelectionOutcome::no_common_application,
                               "the only application needs confirmation the terminal cannot ask");
      return std::nullopt;
    }
    auto confirmed = ui.confirm_application(candidates[0]);
    if (confirmed && *confirmed) return 0;
    stop = selection_outcome(SelectionOutcome::cancelled, "cardholder did not confirm the application");
    return std::nullopt;
  }
  if (config.cardholder_confirmation) {
    auto chosen = ui.choose_application(candidates);
    if (chosen && *chosen < candidates.size()) return *chosen;
    if (chosen || chosen.error().code != Errc::unsupported) {
      stop = selection_outcome(SelectionOutcome::cancelled, "cardholder did not choose an application");
      return std::nullopt;
    }
  }
  // The terminal chooses the highest priority; one that needs confirmation only when the
  // cardholder gives it.
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!candidates[i].confirmation_required()) return i;
    if (!config.cardholder_confirmation) continue;
    auto confirmed = ui.confirm_application(candidates[i]);
    if (confirmed && *confirmed) return i;
    if (!confirmed && confirmed.error().code == Errc::cancelled) break;
  }
  stop = selection_outcome(SelectionOutcome::no_common_application,
                           "no application the cardholder confirmed");
  return std::nullopt;
}

}  // namespace

Selection final_selection(Ttl& ttl, std::vector<Candidate>& candidates,
                          const TerminalConfig& config, KernelUi& ui) {
  while (!candidates.empty()) {
    std::optional<Selection> stop;
    const auto chosen = choose(candidates, config, ui, stop);
    if (!chosen) return std::move(*stop);
    const Candidate candidate = candidates[*chosen];
    auto selected = select(ttl, candidate.adf_name);
    if (!selected) return selection_outcome(SelectionOutcome::card_error, selected.error().message);
    if (selected->ok()) {
      auto fci = parse_fci(selected->data);
      if (fci && fci->df_name == candidate.adf_name) {
        Selection s;
        s.outcome = SelectionOutcome::selected;
        s.candidate = candidate;
        s.fci = std::move(*fci);
        s.fci_data = std::move(selected->data);
        return s;
      }
    }
    // Book 1 12.4: not selectable after all; drop it and select again.
    log::info("emv.selection", "final SELECT failed with SW ", icc::sw_to_hex(selected->sw));
    candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(*chosen));
    ui.message("TRY AGAIN");
  }
  return selection_outcome(SelectionOutcome::no_common_application, "no candidate left");
}

}  // namespace tender::emv
