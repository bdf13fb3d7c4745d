// The host-neutral seam between the transaction engine (app/) and the payment hosts.
// The engine builds these values from what the readers and the EMV kernel produced;
// an adapter (net/aurora, net/fullstack, later net/connexpay) turns them into its
// host's HTTP/JSON and turns the answer back into a HostResult. Nothing here knows
// EMV internals: chip data travels as the kernel's TLV bytes.
//
// Contract for every operation (decided once here; the adapters follow it):
//  * The handler is called exactly once, on the transport's executor.
//  * Result error  = the host did not process the request: it was invalid before
//    sending (Errc::invalid_argument / Errc::unsupported), or it could not be sent
//    (e.g. the OAuth token could not be obtained). Safe to retry or abandon.
//    Exception: Errc::malformed means the host answered something unreadable after
//    receiving the request; for money-moving operations treat it like
//    Outcome::unknown and recover.
//  * Outcome::unknown = the request may have reached the host and we do not know
//    what it did: transport timeout, connection failure after sending (io_error),
//    HTTP 5xx. The engine must ask recover() before anything else.
//  * Outcome::error = the host answered and refused to process the request (HTTP 4xx,
//    gateway validation error): nothing was charged.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/money.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::net::host {

enum class EntryMode { keyed, swiped, chip, fallback_swipe, contactless };

// Why the terminal fell back from chip to magnetic stripe (EMV fallback).
enum class FallbackCondition { icc_terminal_error, no_candidate_list };
enum class LastChipRead { successful, failed, not_a_chip_transaction, unknown };

// Card data as the readers produced it. Every field is a secret; empty means absent.
struct CardData {
  SecretString pan;             // keyed entry (digits only)
  SecretString expiry_yymm;     // "2512": every entry mode (from the track or tag 57 when read)
  SecretString cvc;             // keyed entry, optional
  SecretString track1;          // clear ISO 7813 track 1 without sentinels
  SecretString track2;          // clear ISO 7813 track 2 without sentinels
  SecretBytes encrypted_track1;  // encrypted by the reader under DUKPT
  SecretBytes encrypted_track2;
  Bytes track_ksn;               // KSN of the encrypted tracks
  SecretString cardholder_name;
};

struct EmvData {
  Bytes tags;  // the kernel's online data as BER-TLV bytes (ARQC, 9F26, 9F10, ...)
  std::optional<FallbackCondition> fallback_condition;  // fallback swipe only
  std::optional<LastChipRead> last_chip_read;          // fallback swipe only
};

struct PinData {
  SecretBytes pin_block;  // encrypted ISO 9564 PIN block
  Bytes ksn;              // DUKPT KSN (10 or 12 bytes)
};

// reference_id: our own unique id per transaction, kept in the journal. Use a UUID
// in its 36-character text form: FullStack requires it as the idempotency_key and
// Aurora accepts any string as referenceId.
struct AuthorizationRequest {
  std::string reference_id;
  Money amount{0, usd()};             // total to authorize, tip and surcharge included
  std::optional<Money> tip;
  std::optional<Money> surcharge;
  EntryMode entry_mode = EntryMode::keyed;
  CardData card;
  std::optional<EmvData> emv;
  std::optional<PinData> pin;
  std::string terminal_id;  // our terminal id (logged, never sent unless the host has a field)
  std::string device_id;
  // A host-managed terminal reads the card instead of us (FullStack payment_method.terminal).
  std::optional<std::string> host_terminal_id;
  bool allow_partial = true;
};

// Follow-on operations name the original by the host's transaction id (HostResult::host_reference).
struct CaptureRequest { std::string reference_id; std::string host_reference; std::optional<Money> amount; };
// Why the terminal voids: a host that records it (ConnexPay's VoidReason, mandatory for chip)
// gets it; the others ignore it.
enum class VoidReason {
  merchant,                     // the merchant (or customer) cancels an approved transaction
  card_declined_after_approval, // the chip refused the host's approval (second GENERATE AC)
  answer_lost,                  // the answer never came: a reversal after a timeout
  partial_refused,              // the customer refused a partial approval
  torn,                         // a power cut or crash left the transaction half done
};
struct VoidRequest {
  std::string reference_id;
  std::string host_reference;
  VoidReason reason = VoidReason::merchant;
};
struct RefundRequest { std::string reference_id; std::string host_reference; std::optional<Money> amount; };
struct TipAdjustRequest { std::string reference_id; std::string host_reference; Money tip{0, usd()}; };
// Aurora settles a payment processor, FullStack a gateway terminal: `batch_owner` is that id
// (empty: the adapter's configured default).
struct SettleRequest { std::string batch_owner; };
// The host's price of a sale (surcharge, dual pricing). Asked before the card with no `bin`
// (every card type's price at once), and again once a swiped or keyed card is read, with its
// BIN, from a host whose price depends on the card (CalculateAmountResult::pricing).
struct CalculateAmountRequest {
  Money base_amount{0, usd()};
  std::optional<Money> tip;
  std::string bin;      // the card's first 6 digits once read (FullStack cc_bin / bin); never more
  std::string state;    // the merchant's state, "TX" (surcharge law is per state; FullStack `state`)
  std::string country;  // the merchant's country, ISO 3166-1 alpha-2 "US" (FullStack `country`)
};
// Lookup by our reference_id, or by the host's id when we have it.
struct LookupRequest { std::string reference_id; std::string host_reference; };

enum class Outcome { approved, partially_approved, declined, error, unknown };
std::string_view to_string(Outcome outcome) noexcept;

// Why the host refused a follow-on, where the engine must act on it (not only report it).
enum class Refusal {
  none,
  already_settled,  // a void of a settled transaction: the host allows a refund instead
};

struct HostResult {
  Outcome outcome = Outcome::unknown;
  std::optional<Money> approved_amount;
  std::string auth_code;
  std::string host_reference;    // the host's transaction id
  std::string response_code;     // the host's code, as text ("00", "100", "503")
  std::string response_message;  // the host's text; never card data
  Bytes issuer_response_tlv;     // 8A/91/71/72 for the chip when the host returns them
  Refusal refusal = Refusal::none;  // Outcome::declined / error: why, when the engine must act on it
  std::string trace_id;          // the host's correlation id for this answer, when it gives one
  std::string receipt_reference;  // the host's number for the customer (ConnexPay refNumber)
};

struct SettleResult {
  bool accepted = false;
  std::string response_code;
  std::string response_message;
};

struct AmountBreakdown {
  Money base{0, usd()};
  Money surcharge{0, usd()};
  Money tip{0, usd()};
  Money total{0, usd()};
};
// What a host's card price rests on (issue 10, item 6: the surcharge is decided once the card
// is known, and never applies to a debit or prepaid card).
enum class CardPricing {
  // Prices per card type (Aurora's creditCard / debitCard breakdowns): the terminal picks
  // the one its evidence of the card supports, and surcharges nothing it cannot show is credit.
  by_type,
  // The host prices the card from its BIN (FullStack: cc_bin is required when surcharge is
  // allowed): ask again with the BIN once the card is read; that answer's `card` is the price
  // of that very card, whatever its type (the host knows a debit BIN).
  by_bin,
};

struct CalculateAmountResult {
  AmountBreakdown card;                  // a credit card's price (surcharge included), or the BIN's (by_bin)
  std::optional<AmountBreakdown> debit;  // a debit card's price, when the host gives one (Aurora debitCard)
  std::optional<AmountBreakdown> cash;   // dual pricing / cash discount, when the host gives it
  CardPricing pricing = CardPricing::by_type;
};

// ---- Recovery (ARCHITECTURE.md, HostAdapter): what became of a request whose answer was lost.
// Each host answers by its own means, in its own folder, with its reason; the engine never
// switches on which host it talks to. A recovery never moves money on a guess: it may
// re-send a request only where the host itself guarantees at most once (FullStack's
// idempotency key inside its window), and it never adopts a transaction the terminal cannot
// prove it originated.
enum class Operation { authorize, sale, verify, capture, void_, refund, tip_adjust };
std::string_view to_string(Operation operation) noexcept;

struct RecoveryQuery {
  Operation operation = Operation::sale;
  std::string reference_id;  // the lost request's own reference id (its idempotency key)
  // Wall-clock seconds of the first attempt and of the latest one (the journal's times; a
  // clock that jumped makes them wrong, so an adapter that depends on them must fail safe).
  std::int64_t first_sent_unix = 0;
  std::int64_t last_sent_unix = 0;
  // authorize / sale / verify: the request as it was sent (card data, amount, entry mode).
  std::optional<AuthorizationRequest> request;
  // Follow-ons: the original's host transaction id and what was asked of it.
  std::string original_host_reference;
  std::optional<Money> amount;  // capture / refund amount, or the tip of a tip adjust
  std::optional<Money> original_amount;  // what the original was approved for
  std::optional<Money> refunded_before;  // refund: what the terminal had refunded of it before
  // refund: the other refunds of the same original whose answers were lost too (in doubt):
  // a host's refunded total may hold any of them.
  std::vector<Money> other_refunds_in_doubt;
  // Host transaction ids the terminal already holds for other transactions: a candidate
  // that is one of them is not this request.
  std::vector<std::string> known_host_references;
};

enum class Fate {
  not_at_host,    // the host never did it: nothing changed there (safe to try again)
  done,           // the host did it: `result` says how (approved, partially, declined)
  not_known_yet,  // the host could not be asked, or cannot tell yet: ask again later
  ambiguous,      // the host shows candidates the terminal cannot tell apart: held for the
                  // merchant, never guessed
};
std::string_view to_string(Fate fate) noexcept;

struct RecoveryResult {
  Fate fate = Fate::not_known_yet;
  HostResult result;  // fate == done: the host's record of it
  std::string why;    // the adapter's reason, for the journal and the merchant (never card data)
};

// What a host's API can carry: the engine shapes the transaction to it (a host without chip
// fields gets chip cards as swipes, as a magnetic-stripe-only terminal would send them).
struct Capabilities {
  bool chip = true;         // EMV tags (and with them fallback indicators)
  bool online_pin = true;   // PIN block + KSN
  bool tip_adjust = true;
  bool verify = true;       // account verification (no money moves)
  // A refund with the card present and no original sale named. No adapter carries one yet
  // (RefundRequest names the host's transaction), so the counter does not offer it.
  bool unreferenced_refund = false;
};

template <class T>
using Handler = std::function<void(Result<T>)>;
using ResultHandler = Handler<HostResult>;
using RecoveryHandler = std::function<void(RecoveryResult)>;

class HostAdapter {
 public:
  virtual ~HostAdapter() = default;
  virtual void authorize(AuthorizationRequest request, ResultHandler handler) = 0;
  virtual void sale(AuthorizationRequest request, ResultHandler handler) = 0;
  // Account verification: the card is checked, no money moves (amount 0). A host without
  // one answers Errc::unsupported (capabilities().verify is false).
  virtual void verify(AuthorizationRequest request, ResultHandler handler) = 0;
  virtual void capture(CaptureRequest request, ResultHandler handler) = 0;
  virtual void void_(VoidRequest request, ResultHandler handler) = 0;
  virtual void refund(RefundRequest request, ResultHandler handler) = 0;
  virtual void tip_adjust(TipAdjustRequest request, ResultHandler handler) = 0;
  virtual void settle(SettleRequest request, Handler<SettleResult> handler) = 0;
  virtual void calculate_amount(CalculateAmountRequest request, Handler<CalculateAmountResult> handler) = 0;
  // Errc::not_found when the host has no such transaction (it never arrived).
  virtual void lookup(LookupRequest request, ResultHandler handler) = 0;
  // What became of a request whose answer was lost (see Fate). Never fails: a host that
  // cannot be asked is Fate::not_known_yet.
  virtual void recover(RecoveryQuery query, RecoveryHandler handler) = 0;
  [[nodiscard]] virtual Capabilities capabilities() const = 0;
};

// Shared by the adapters: what a transport failure means (see the contract above).
// timeout, io_error, malformed and out_of_range all happen after the request may have
// been written, so they are Outcome::unknown; the message names the failure only.
HostResult unknown_after_transport_error(const Error& error);
// HTTP status class: 2xx -> nullopt (parse the body), 401/4xx -> Outcome::error, 5xx -> unknown.
std::optional<Outcome> outcome_for_http_status(int status) noexcept;

}  // namespace tender::net::host
