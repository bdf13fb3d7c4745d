// The kernel context: what the steps of EMV 4.4 Book 3 section 10 share. The card's
// data objects and the terminal's, the TVR/TSI/CVM Results as the steps set them, the
// bytes ODA and CDA must hash later, and the seams to the cardholder (KernelUi) and to
// chance (RandomSource). Every step module takes a Context&; the orchestrator
// (kernel.hpp) owns one per card session.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/money.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "drivers/pinpad/pin_pad.hpp"
#include "emv/dol.hpp"
#include "emv/terminal_config.hpp"
#include "emv/tlv.hpp"
#include "emv/tvr.hpp"

namespace tender::emv {

// A set of primitive data objects, one value per tag. Values live in zeroizing storage:
// the ICC store holds the PAN (5A) and Track 2 Equivalent Data (57), and nothing here
// prints a value.
class TagStore {
 public:
  void set(Tag tag, ByteView value);
  [[nodiscard]] bool contains(Tag tag) const noexcept;
  // A view into the store, valid until the tag is set again or erased.
  [[nodiscard]] std::optional<ByteView> get(Tag tag) const noexcept;
  void erase(Tag tag) noexcept;
  void clear() noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    Tag tag;
    SecretBytes value;
  };
  std::vector<Entry> entries_;
};

// Transaction Type (9C), ISO 8583:1987 processing code, first two digits.
enum class TransactionType : Byte { goods_services = 0x00, cash = 0x01, cashback = 0x09, refund = 0x20 };

struct TransactionInput {
  Money amount{0, usd()};               // Amount, Authorised (9F02); the terminal's currency
  std::optional<Money> amount_other;    // Amount, Other (9F03): the cashback part
  TransactionType type = TransactionType::goods_services;
  std::array<Byte, 3> date{};           // 9A, YYMMDD BCD
  std::array<Byte, 3> time{};           // 9F21, HHMMSS BCD
  std::uint32_t sequence_counter = 0;   // 9F41
  bool merchant_forced_online = false;  // TVR byte 4 bit 4 (Book 3 10.6 leaves it to the merchant)
};

// Book 1 12.3: one entry of the candidate list.
struct Candidate {
  Bytes adf_name;                               // 4F from the directory, or 84 from the FCI
  std::string label;                            // 50, printable ASCII only
  std::string preferred_name;                   // 9F12, printable ASCII only
  std::optional<Byte> issuer_code_table_index;  // 9F11
  std::optional<Byte> priority;                 // 87
  std::size_t aid_index = 0;                    // the TerminalConfig::aids entry it matched

  // 87 bit 8: the cardholder must confirm before this application is selected.
  [[nodiscard]] bool confirmation_required() const noexcept {
    return priority && (*priority & 0x80) != 0;
  }
  // 87 bits 4-1: 1 is the highest priority; 0 means none given.
  [[nodiscard]] int priority_number() const noexcept { return priority ? (*priority & 0x0F) : 0; }
  // The Application Preferred Name when the card says which code table it uses, else the label.
  [[nodiscard]] std::string display_name() const;
};

// The cardholder, as the kernel sees them. Messages use the Book 4 section 11.2 names
// ("TRY AGAIN", "NOT ACCEPTED", "ENTER PIN", "INCORRECT PIN", "PIN OK", "LAST PIN TRY").
class KernelUi {
 public:
  virtual ~KernelUi() = default;
  // Book 1 12.4: the cardholder picks from the candidates, shown in the given order
  // (priority order); returns the index. Errc::unsupported lets the terminal pick the
  // highest-priority application itself; Errc::cancelled terminates.
  virtual Result<std::size_t> choose_application(std::span<const Candidate> candidates) = 0;
  // Book 1 12.4: confirmation of a single application whose priority says it needs one.
  virtual Result<bool> confirm_application(const Candidate& candidate) = 0;
  // Amount, Authorised (9F02) for the application the card and the cardholder settled on: a
  // price may depend on it (a surcharge applies to a credit application, never to a debit
  // one). Called after final selection and before GET PROCESSING OPTIONS, whose PDOL may carry
  // the amount (Book 3 10.1; nothing before GPO uses it), once for every application tried;
  // `requested` is the amount given to start(). The default keeps it. Errc::cancelled ends the
  // session as cancelled (the cardholder refused the total); another error terminates it.
  virtual Result<Money> amount_for(const Candidate& selected, const Money& requested) {
    (void)selected;
    return requested;
  }
  virtual void message(std::string_view text) { (void)text; }
};

// Unpredictable numbers (9F37) and the random number of random transaction selection.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<Byte> out) = 0;
};

// Application Interchange Profile (82), Book 3 Annex C1, packed 0xBBMM like the TVR.
enum class AipBit : std::uint16_t {
  sda_supported = 0x0140,
  dda_supported = 0x0120,
  cardholder_verification_supported = 0x0110,
  terminal_risk_management_to_be_performed = 0x0108,
  issuer_authentication_supported = 0x0104,
  cda_supported = 0x0101,
};
using Aip = BitString<2, AipBit>;

// Book 3 10.3: the ODA method chosen from the AIP and the terminal capabilities.
enum class OdaMethod { none, sda, dda, cda };

struct Context {
  Context(const TerminalConfig& terminal_config, const TransactionInput& input);

  const TerminalConfig& config;
  TransactionInput txn;
  const AidConfig* aid = nullptr;  // the terminal AID the selected application matched

  TagStore icc;       // every data object from the card (FCI, GPO, records, GET DATA, GEN AC)
  TagStore terminal;  // the terminal's and the transaction's data objects
  Tvr tvr;
  Tsi tsi;
  std::array<Byte, 3> cvm_results{0x3F, 0x00, 0x00};  // 9F34: "no CVM performed" until CVM runs

  // Kept for offline data authentication and CDA (Book 2 5.4, 6.6).
  Bytes static_data;                 // the AFL's ODA records, concatenated per Book 3 10.3
  bool static_data_invalid = false;  // an ODA record in SFI 1-10 was not a '70' template
  Bytes pdol_data;                   // the value of '83' sent in GET PROCESSING OPTIONS
  Bytes cdol1_data;
  Bytes cdol2_data;
  OdaMethod oda = OdaMethod::none;
  bool cda_key_ready = false;        // CDA: the ICC key was retrieved before GENERATE AC
  std::optional<pinpad::RsaPublicKey> issuer_public_key;
  std::optional<pinpad::RsaPublicKey> icc_public_key;

  // A data object's value as the DOLs and the online message see it: TVR, TSI and CVM
  // Results live, then terminal data, then ICC data.
  [[nodiscard]] std::optional<ByteView> lookup(Tag tag) const;
  [[nodiscard]] DolLookup dol_lookup() const;
  // The card's AIP (82); all bits clear before GET PROCESSING OPTIONS.
  [[nodiscard]] Aip aip() const;

  // Terminal and transaction data elements from the config and the input: 9F02, 9F03,
  // 5F2A, 5F36, 9A, 9F21, 9C, 9F41, 9F35, 9F33, 9F40, 9F1A, 9F15, 9F1C, 9F16, 9F1E,
  // 9F39, 9F53. Errc::invalid_argument when an amount is negative or not in the
  // terminal's currency.
  Result<void> set_transaction_data();
  // Amount, Authorised changed after selection (KernelUi::amount_for): txn.amount and 9F02.
  // Errc::invalid_argument like set_transaction_data.
  Result<void> set_amount(const Money& amount);
  // After final selection: 9F06, 9F09, 9F1B from the matched AID entry.
  void set_application_data(const AidConfig& aid_config);
};

}  // namespace tender::emv
