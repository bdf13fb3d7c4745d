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
//    HTTP 5xx. The engine must recover with recovery() before anything else.
//  * Outcome::error = the host answered and refused to process the request (HTTP 4xx,
//    gateway validation error): nothing was charged.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

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
  SecretString expiry_yymm;     // "2512"
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
struct VoidRequest { std::string reference_id; std::string host_reference; };
struct RefundRequest { std::string reference_id; std::string host_reference; std::optional<Money> amount; };
struct TipAdjustRequest { std::string reference_id; std::string host_reference; Money tip{0, usd()}; };
// Aurora settles a payment processor, FullStack a gateway terminal: `batch_owner` is that id
// (empty: the adapter's configured default).
struct SettleRequest { std::string batch_owner; };
struct CalculateAmountRequest { Money base_amount{0, usd()}; std::optional<Money> tip; std::string bin; std::string state; };
// Lookup by our reference_id, or by the host's id when we have it.
struct LookupRequest { std::string reference_id; std::string host_reference; };

enum class Outcome { approved, partially_approved, declined, error, unknown };
std::string_view to_string(Outcome outcome) noexcept;

struct HostResult {
  Outcome outcome = Outcome::unknown;
  std::optional<Money> approved_amount;
  std::string auth_code;
  std::string host_reference;    // the host's transaction id
  std::string response_code;     // the host's code, as text ("00", "100", "503")
  std::string response_message;  // the host's text; never card data
  Bytes issuer_response_tlv;     // 8A/91/71/72 for the chip when the host returns them
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
struct CalculateAmountResult {
  AmountBreakdown card;                // what a card pays (surcharge / card price)
  std::optional<AmountBreakdown> cash;  // dual pricing / cash discount, when the host gives it
};

// How a transaction whose response was lost is finished (ARCHITECTURE.md, HostAdapter).
enum class Recovery {
  replay_idempotency_key,  // FullStack: send the same request again with the same key
  lookup_then_void,        // Aurora: lookup(reference_id); if it went through, void it
  timeout_reversal,        // ConnexPay: reversal by DeviceGuid + SequenceNumber
};

// What a host's API can carry: the engine shapes the transaction to it (a host without chip
// fields gets chip cards as swipes, as a magnetic-stripe-only terminal would send them).
struct Capabilities {
  bool chip = true;         // EMV tags (and with them fallback indicators)
  bool online_pin = true;   // PIN block + KSN
  bool tip_adjust = true;
  bool verify = true;       // account verification (no money moves)
};

template <class T>
using Handler = std::function<void(Result<T>)>;
using ResultHandler = Handler<HostResult>;

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
  [[nodiscard]] virtual Recovery recovery() const = 0;
  [[nodiscard]] virtual Capabilities capabilities() const = 0;
};

// Shared by the adapters: what a transport failure means (see the contract above).
// timeout, io_error, malformed and out_of_range all happen after the request may have
// been written, so they are Outcome::unknown; the message names the failure only.
HostResult unknown_after_transport_error(const Error& error);
// HTTP status class: 2xx -> nullopt (parse the body), 401/4xx -> Outcome::error, 5xx -> unknown.
std::optional<Outcome> outcome_for_http_status(int status) noexcept;

}  // namespace tender::net::host
