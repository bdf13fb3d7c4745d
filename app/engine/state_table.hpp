// The transaction state machine as data (ARCHITECTURE.md, Transaction state machine):
// states and events are enums, the transitions one table. The engine looks every move up
// here; a move the table does not have is an engine bug, reported as such, never guessed.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace tender::app {

enum class State {
  idle,
  calculating,        // surcharge: the host's prices for the sale, per card type, before the card
  awaiting_card,      // present card: insert, swipe, key in
  pricing_card,       // a swiped or keyed card is read: its surcharge (the host's BIN price, or none)
  confirming_amount,  // the cardholder sees the total with the surcharge (chip: inside the kernel)
  reading_chip,       // the EMV kernel from power-on to the first GENERATE AC
  awaiting_fallback,  // the chip failed: swipe the same card
  entering_pin,       // online PIN for a swiped card whose service code asks for one
  authorizing,        // the host request is out (journaled `sent` before it left)
  recovering,         // the answer was lost: the adapter's recovery says what the host did
  completing_chip,    // the host's answer to the card: the second GENERATE AC
  deciding_partial,   // partial approval: accept it or reverse it
  going_offline,      // the host is unreachable: offline approval if card and limits allow
  reversing,          // voiding what the host approved (AAC after approval, partial refused)
  finishing,          // journal the final state, print, release the card
  done,
};

enum class Event {
  start,                // a card transaction begins
  start_followon,       // capture / void / refund by reference / tip adjust: straight to the host
  surcharge_off,        // no surcharge: off, not a sale, or none for this card
  calculated,           // the host's prices are in (before the card); a surcharge applies (after it)
  confirmed,
  cancelled,            // the cardholder pressed CANCEL (or declined the amount)
  timed_out,            // a prompt's deadline passed
  chip_inserted,
  swiped,               // a magnetic stripe card (or fallback swipe) that may go ahead
  swiped_chip_card,     // service code 2xx/6xx without fallback: insert instead
  keyed,
  bad_card,             // unreadable swipe or keyed data, or a way of reading the host cannot take
  card_refused,         // the card needs what this terminal or host cannot do (a PIN the host cannot carry)
  pin_needed,           // the swiped card's service code asks for a PIN
  pin_entered,
  kernel_online,        // ARQC
  kernel_approved,      // TC at the first GENERATE AC
  kernel_declined,      // AAC
  kernel_fallback,
  kernel_failed,
  host_approved,
  host_partial,
  host_declined,
  host_error,           // refused before processing (4xx, invalid): nothing charged
  host_unknown,         // timeout / connection lost / 5xx
  not_at_host,          // recovery: the host never had the request; it is sent once more
  host_invalid,         // an approval the terminal cannot believe (an amount not asked for): voided
  unrecoverable,        // the host is out of reach (nothing sent, or recovery could not tell)
  card_approved,        // TC at the second GENERATE AC (or no chip step needed)
  card_declined,        // AAC after the host approved
  partial_accepted,
  partial_refused,
  offline_approved,
  offline_declined,     // the card or the limits refuse offline; a reversal is queued if sent
  reversal_done,        // confirmed or queued: the engine's part is over either way
  finished,
};

std::string_view to_string(State state) noexcept;
std::string_view to_string(Event event) noexcept;

struct Transition {
  State from;
  Event event;
  State to;
};

std::span<const Transition> transitions() noexcept;
std::optional<State> next_state(State from, Event event) noexcept;

// The prompts the cardholder can cancel at (tests walk them).
bool is_prompt(State state) noexcept;

}  // namespace tender::app
