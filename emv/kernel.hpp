// The EMV contact kernel: EMV 4.4 Book 3 section 10's steps in order, over one card
// session. start() runs from power-on and application selection (after which the UI settles
// the amount for the selected application, KernelUi::amount_for) to the first GENERATE
// AC; when the card asks to go online (ARQC) the app sends Kernel::online_tags to the
// host and calls complete() with the answer, which runs issuer authentication, scripts
// and the second GENERATE AC.
//
// Outcomes:
//   approved_offline  the card returned a TC to the first GENERATE AC; or, after an ARQC,
//                     the host could not be reached and the card accepted offline (TC)
//   declined_offline  the card returned an AAC to the first GENERATE AC (whatever was
//                     asked), CDA failed on its TC/ARQC, or, unable to go online, the card
//                     declined (AAC)
//   online_request    the card returned an ARQC: call complete()
//   approved_online   the host approved and the card returned a TC to the second GENERATE AC
//   declined_online   the host declined, or it approved and the card still returned an AAC
//                     (or its CDA failed): the app reverses the authorisation
//   fallback          the card is mute at reset (power-on fails) or has no application in
//                     common with the terminal: Book 4 section 11 lets the terminal fall
//                     back to magnetic stripe; the app decides
//   terminated        anything else the card does wrong (blocked card, malformed data,
//                     missing mandatory data, unexpected status words, going mute after
//                     reset), or the cardholder cancelled: termination_reason says which
//
// The kernel powers the card on in start() and leaves powering off to the app.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/pan.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "drivers/icc/card_reader.hpp"
#include "drivers/pinpad/pin_pad.hpp"
#include "emv/action_analysis.hpp"
#include "emv/completion.hpp"
#include "emv/cvm.hpp"
#include "emv/context.hpp"
#include "emv/risk.hpp"
#include "emv/tal.hpp"
#include "emv/terminal_config.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

enum class Outcome {
  approved_offline,
  declined_offline,
  online_request,
  approved_online,
  declined_online,
  fallback,
  terminated,
};
std::string_view name(Outcome outcome) noexcept;

struct KernelResult {
  Outcome outcome = Outcome::terminated;
  Bytes aid;           // the selected application's DF name (84)
  std::string label;   // what to show and print for it
  Bytes tvr;           // 95, 5 bytes
  Bytes tsi;           // 9B, 2 bytes
  Bytes cvm_results;   // 9F34, 3 bytes
  std::optional<CryptogramType> cryptogram;  // the card's last answer
  bool advice_required = false;               // CID bit 4
  // The host's tags, TLV, in this order when present: 9F26 9F27 9F10 9F37 9F36 95 9A 9C
  // 9F02 5F2A 82 9F1A 9F34 9F33 9F35 84 9F09 9F03 5F34 9F1E 9F53 9F41 9F6E.
  Bytes online_tags;
  SecretBytes track2_equivalent;              // 57
  std::optional<Pan> pan;                     // 5A
  std::optional<Byte> pan_sequence_number;    // 5F34
  bool signature_required = false;
  std::optional<pinpad::OnlinePin> online_pin;
  Bytes issuer_script_results;                // 9F5B
  std::string termination_reason;             // never holds card data
  // terminated because the cardholder cancelled (PIN entry, application choice): the app
  // ends the transaction as cancelled, not as a card failure.
  bool cancelled = false;
};

struct KernelOptions {
  Transcript transcript;                      // every C-APDU / R-APDU, raw (for --verbose)
  TransactionLog* transaction_log = nullptr;  // floor limit check over split sales
};

class Kernel {
 public:
  Kernel(icc::CardReader& reader, pinpad::PinPad& pin_pad, const TerminalConfig& config,
         KernelUi& ui, RandomSource& random, KernelOptions options = {});
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // Selection .. first GENERATE AC. Result errors are the caller's mistakes (an amount
  // not in the terminal currency); card problems are outcomes.
  Result<KernelResult> start(const TransactionInput& input);
  // Online response .. second GENERATE AC .. scripts. Errc::invalid_argument unless the
  // last start() ended in online_request.
  Result<KernelResult> complete(const OnlineResponse& response);

  // The session's data, for diagnostics and tests; null before start().
  [[nodiscard]] const Context* context() const noexcept { return ctx_.get(); }

 private:
  KernelResult run();
  KernelResult finish(Outcome outcome, std::string reason = {});
  std::optional<KernelResult> select_and_initiate();
  KernelResult after_first_generate_ac(const CardDecision& decision);

  icc::CardReader& reader_;
  pinpad::PinPad& pin_pad_;
  const TerminalConfig& config_;
  KernelUi& ui_;
  RandomSource& random_;
  KernelOptions options_;
  Ttl ttl_;
  std::unique_ptr<Context> ctx_;
  Candidate selected_;
  Money requested_amount_{0, usd()};  // start()'s amount: what amount_for() starts from per application
  CvmOutcome cvm_;
  std::optional<CardDecision> decision_;
  bool awaiting_completion_ = false;
  bool cancelled_ = false;
};

// The online tag list of a context (KernelResult::online_tags).
Bytes online_tags(const Context& ctx);

}  // namespace tender::emv
