#include "app/engine/state_table.hpp"

#include <array>
#include <utility>

namespace tender::app {
namespace {

using S = State;
using E = Event;

// Every move of every transaction type. Host answers all leave `authorizing` the same way
// whatever the entry mode; the engine's step functions decide which event to raise.
constexpr std::array kTransitions{
    Transition{S::idle, E::start, S::calculating},
    Transition{S::idle, E::start_followon, S::authorizing},
    // Issue 10 item 6: the surcharge depends on the card, so nothing is shown or charged
    // before it is read. Before the card the host's prices are only fetched (the chip's
    // kernel needs them without waiting for a host, KernelUi::amount_for).
    Transition{S::calculating, E::surcharge_off, S::awaiting_card},
    Transition{S::calculating, E::calculated, S::awaiting_card},
    // The calculate endpoint failed: the sale goes on at the base price, as a terminal
    // with surcharge off would (the surcharge is the merchant's option, not the card's).
    Transition{S::calculating, E::host_error, S::awaiting_card},

    Transition{S::awaiting_card, E::chip_inserted, S::reading_chip},
    Transition{S::awaiting_card, E::swiped, S::pricing_card},
    // A PIN on a stripe is a debit card (Aurora routes it as debit): never surcharged.
    Transition{S::awaiting_card, E::pin_needed, S::entering_pin},
    Transition{S::awaiting_card, E::swiped_chip_card, S::awaiting_card},  // "insert card", wait again
    Transition{S::awaiting_card, E::keyed, S::pricing_card},
    Transition{S::awaiting_card, E::bad_card, S::awaiting_card},
    Transition{S::awaiting_card, E::card_refused, S::finishing},
    Transition{S::awaiting_card, E::cancelled, S::finishing},
    Transition{S::awaiting_card, E::timed_out, S::finishing},

    Transition{S::reading_chip, E::kernel_online, S::authorizing},
    Transition{S::reading_chip, E::kernel_approved, S::finishing},
    Transition{S::reading_chip, E::kernel_declined, S::finishing},
    Transition{S::reading_chip, E::kernel_fallback, S::awaiting_fallback},
    Transition{S::reading_chip, E::kernel_failed, S::finishing},
    Transition{S::reading_chip, E::cancelled, S::finishing},

    Transition{S::awaiting_fallback, E::swiped, S::pricing_card},
    Transition{S::awaiting_fallback, E::pin_needed, S::entering_pin},
    Transition{S::awaiting_fallback, E::bad_card, S::awaiting_fallback},
    Transition{S::awaiting_fallback, E::card_refused, S::finishing},
    Transition{S::awaiting_fallback, E::cancelled, S::finishing},
    Transition{S::awaiting_fallback, E::timed_out, S::finishing},

    Transition{S::pricing_card, E::surcharge_off, S::authorizing},
    Transition{S::pricing_card, E::calculated, S::confirming_amount},
    // The host could not price the card's BIN: the base price, as above.
    Transition{S::pricing_card, E::host_error, S::authorizing},
    Transition{S::confirming_amount, E::confirmed, S::authorizing},
    Transition{S::confirming_amount, E::cancelled, S::finishing},
    Transition{S::confirming_amount, E::timed_out, S::finishing},

    Transition{S::entering_pin, E::pin_entered, S::authorizing},
    Transition{S::entering_pin, E::cancelled, S::finishing},
    Transition{S::entering_pin, E::timed_out, S::finishing},

    Transition{S::authorizing, E::host_approved, S::completing_chip},
    Transition{S::authorizing, E::host_partial, S::deciding_partial},
    // A chip card still hears the decline (second GENERATE AC asks for an AAC).
    Transition{S::authorizing, E::host_declined, S::completing_chip},
    Transition{S::authorizing, E::host_error, S::finishing},
    Transition{S::authorizing, E::host_unknown, S::recovering},
    Transition{S::authorizing, E::host_invalid, S::reversing},
    // Nothing could be sent (no connection, no token): store and forward may still approve.
    Transition{S::authorizing, E::unrecoverable, S::going_offline},
    // The engine's own guard on the host step fired (the adapter never answered).
    Transition{S::authorizing, E::timed_out, S::recovering},

    Transition{S::recovering, E::host_approved, S::completing_chip},
    Transition{S::recovering, E::host_partial, S::deciding_partial},
    Transition{S::recovering, E::host_declined, S::completing_chip},
    Transition{S::recovering, E::host_error, S::finishing},
    Transition{S::recovering, E::unrecoverable, S::going_offline},
    Transition{S::recovering, E::host_invalid, S::reversing},
    Transition{S::recovering, E::not_at_host, S::authorizing},

    Transition{S::deciding_partial, E::partial_accepted, S::completing_chip},
    Transition{S::deciding_partial, E::partial_refused, S::reversing},
    Transition{S::deciding_partial, E::cancelled, S::reversing},
    Transition{S::deciding_partial, E::timed_out, S::reversing},

    Transition{S::completing_chip, E::card_approved, S::finishing},
    Transition{S::completing_chip, E::card_declined, S::reversing},
    Transition{S::completing_chip, E::host_declined, S::finishing},

    Transition{S::going_offline, E::offline_approved, S::finishing},
    Transition{S::going_offline, E::offline_declined, S::finishing},

    Transition{S::reversing, E::reversal_done, S::finishing},

    Transition{S::finishing, E::finished, S::done},
};

constexpr std::array kStateNames{
    std::pair{S::idle, "idle"},
    std::pair{S::calculating, "calculating"},
    std::pair{S::awaiting_card, "awaiting_card"},
    std::pair{S::pricing_card, "pricing_card"},
    std::pair{S::confirming_amount, "confirming_amount"},
    std::pair{S::reading_chip, "reading_chip"},
    std::pair{S::awaiting_fallback, "awaiting_fallback"},
    std::pair{S::entering_pin, "entering_pin"},
    std::pair{S::authorizing, "authorizing"},
    std::pair{S::recovering, "recovering"},
    std::pair{S::completing_chip, "completing_chip"},
    std::pair{S::deciding_partial, "deciding_partial"},
    std::pair{S::going_offline, "going_offline"},
    std::pair{S::reversing, "reversing"},
    std::pair{S::finishing, "finishing"},
    std::pair{S::done, "done"},
};

constexpr std::array kEventNames{
    std::pair{E::start, "start"},
    std::pair{E::start_followon, "start_followon"},
    std::pair{E::surcharge_off, "surcharge_off"},
    std::pair{E::calculated, "calculated"},
    std::pair{E::confirmed, "confirmed"},
    std::pair{E::cancelled, "cancelled"},
    std::pair{E::timed_out, "timed_out"},
    std::pair{E::chip_inserted, "chip_inserted"},
    std::pair{E::swiped, "swiped"},
    std::pair{E::swiped_chip_card, "swiped_chip_card"},
    std::pair{E::keyed, "keyed"},
    std::pair{E::bad_card, "bad_card"},
    std::pair{E::card_refused, "card_refused"},
    std::pair{E::pin_needed, "pin_needed"},
    std::pair{E::pin_entered, "pin_entered"},
    std::pair{E::kernel_online, "kernel_online"},
    std::pair{E::kernel_approved, "kernel_approved"},
    std::pair{E::kernel_declined, "kernel_declined"},
    std::pair{E::kernel_fallback, "kernel_fallback"},
    std::pair{E::kernel_failed, "kernel_failed"},
    std::pair{E::host_approved, "host_approved"},
    std::pair{E::host_partial, "host_partial"},
    std::pair{E::host_declined, "host_declined"},
    std::pair{E::host_error, "host_error"},
    std::pair{E::host_unknown, "host_unknown"},
    std::pair{E::not_at_host, "not_at_host"},
    std::pair{E::host_invalid, "host_invalid"},
    std::pair{E::unrecoverable, "unrecoverable"},
    std::pair{E::card_approved, "card_approved"},
    std::pair{E::card_declined, "card_declined"},
    std::pair{E::partial_accepted, "partial_accepted"},
    std::pair{E::partial_refused, "partial_refused"},
    std::pair{E::offline_approved, "offline_approved"},
    std::pair{E::offline_declined, "offline_declined"},
    std::pair{E::reversal_done, "reversal_done"},
    std::pair{E::finished, "finished"},
};

template <class Table, class Key>
std::string_view lookup_name(const Table& table, Key key) noexcept {
  for (const auto& [k, name] : table) {
    if (k == key) return name;
  }
  return "?";
}

}  // namespace

std::string_view to_string(State state) noexcept { return lookup_name(kStateNames, state); }
std::string_view to_string(Event event) noexcept { return lookup_name(kEventNames, event); }

std::span<const Transition> transitions() noexcept { return kTransitions; }

std::optional<State> next_state(State from, Event event) noexcept {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.event == event) return t.to;
  }
  return std::nullopt;
}

bool is_prompt(State state) noexcept {
  return state == S::confirming_amount || state == S::awaiting_card || state == S::awaiting_fallback ||
         state == S::entering_pin || state == S::deciding_partial;
}

}  // namespace tender::app
