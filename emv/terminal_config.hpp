// What the terminal brings to a transaction (EMV 4.4 Book 4 Annex A, Book 3 Annex A
// terminal data elements): its type, capabilities, location, and per AID the action
// codes, floor limit and random selection parameters. A plain value: the app loads it
// from JSON (app/), tests build it with default_test_terminal().
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/money.hpp"
#include "emv/capk.hpp"
#include "emv/tvr.hpp"

namespace tender::emv {

// Terminal Capabilities (9F33), Book 4 Annex A2, packed 0xBBMM like the TVR.
enum class TerminalCapability : std::uint16_t {
  // Byte 1: card data input capability
  manual_key_entry = 0x0180,
  magnetic_stripe = 0x0140,
  ic_with_contacts = 0x0120,
  // Byte 2: CVM capability
  plaintext_pin_for_icc_verification = 0x0280,
  enciphered_pin_for_online_verification = 0x0240,
  signature_paper = 0x0220,
  enciphered_pin_for_offline_verification = 0x0210,
  no_cvm_required = 0x0208,
  // Byte 3: security capability
  sda = 0x0380,
  dda = 0x0340,
  card_capture = 0x0320,
  cda = 0x0308,
};
using TerminalCapabilities = BitString<3, TerminalCapability>;

// Additional Terminal Capabilities (9F40) byte 1, Book 4 Annex A3: transaction types.
enum class AdditionalCapability : std::uint16_t {
  cash = 0x0180,
  goods = 0x0140,
  services = 0x0120,
  cashback = 0x0110,
};
using AdditionalTerminalCapabilities = BitString<5, AdditionalCapability>;

struct AidConfig {
  Bytes aid;                          // the terminal's AID (9F06), 5..16 bytes
  bool partial_selection = true;      // Application Selection Indicator (Book 1 12.3.1)
  Bytes application_version{0x00, 0x8C};  // 9F09
  std::array<Byte, 5> tac_denial{};
  std::array<Byte, 5> tac_online{};
  std::array<Byte, 5> tac_default{};
  std::int64_t floor_limit = 0;       // 9F1B, minor units of the terminal currency
  // Biased random transaction selection (Book 3 10.6.2); minor units and percent 0..99.
  std::int64_t random_selection_threshold = 0;
  unsigned target_percentage = 0;
  unsigned max_target_percentage = 0;
  Bytes default_ddol;                 // used when the card has no DDOL (9F49)
  Bytes default_tdol;                 // used when the card has no TDOL (97)
};

struct TerminalConfig {
  Byte terminal_type = 0x22;                                  // 9F35
  std::array<Byte, 3> capabilities{0xE0, 0xF8, 0xC8};         // 9F33
  std::array<Byte, 5> additional_capabilities{0x60, 0x00, 0xF0, 0xA0, 0x01};  // 9F40
  std::uint16_t country_code = 840;                           // 9F1A, ISO 3166 numeric
  Currency currency = usd();                                  // 5F2A, 5F36
  std::uint16_t merchant_category_code = 5999;                // 9F15
  std::string terminal_id = "TENDER01";                       // 9F1C, an 8
  std::string merchant_id = "TENDER000000001";                // 9F16, ans 15
  std::string ifd_serial = "TNDR0001";                        // 9F1E, an 8
  std::optional<Byte> transaction_category_code;              // 9F53, when the acquirer wants it
  Byte pos_entry_mode = 0x05;                                 // 9F39: integrated circuit card
  std::vector<AidConfig> aids;
  std::vector<Capk> capks;
  bool pse_supported = true;              // try 1PAY.SYS.DDF01 before the list of AIDs
  bool cardholder_confirmation = true;    // Book 1 12.4: the terminal can ask the cardholder
  bool velocity_checking = true;          // Book 3 10.6.3 when the card gives 9F14 and 9F23
};

[[nodiscard]] bool has(const TerminalConfig& config, TerminalCapability capability);
[[nodiscard]] bool has(const TerminalConfig& config, AdditionalCapability capability);

// Terminal Type (9F35), Book 4 Annex A1: the second digit says online/offline and
// attended/unattended; the first who operates it.
[[nodiscard]] bool online_capable(Byte terminal_type);  // x1, x2, x4, x5
[[nodiscard]] bool offline_only(Byte terminal_type);    // x3, x6
[[nodiscard]] bool unattended(Byte terminal_type);      // x4, x5, x6
// An ATM: unattended financial institution terminal (14, 15, 16) that dispenses cash.
[[nodiscard]] bool is_atm(const TerminalConfig& config);

const AidConfig* find_aid_config(const TerminalConfig& config, ByteView terminal_aid);

// Type 22, capabilities E0F8C8, additional capabilities 6000F0A001, US / USD, the Visa
// and Mastercard test AIDs with test action codes, default DDOL 9F3704 and TDOL 9F0206.
// Every AID gets `floor_limit` (minor units; 0 sends everything online) and no random
// selection.
TerminalConfig default_test_terminal(std::int64_t floor_limit = 0);

}  // namespace tender::emv
