// Terminal Verification Results (tag 95, EMV 4.4 Book 3 Annex C5) and Transaction
// Status Information (tag 9B, Annex C6), bit by bit as the Annex names them.
//
// A bit is named by its byte (1 = leftmost, as the Annex counts) and its mask, packed
// as 0xBBMM, so a table row and the Annex row read the same: TVR byte 3 bit 8 is 0x0380.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"

namespace tender::emv {

enum class TvrBit : std::uint16_t {
  // Byte 1
  offline_data_authentication_not_performed = 0x0180,
  sda_failed = 0x0140,
  icc_data_missing = 0x0120,
  card_appears_on_exception_file = 0x0110,
  dda_failed = 0x0108,
  cda_failed = 0x0104,
  sda_selected = 0x0102,
  // Byte 2
  different_application_versions = 0x0280,
  expired_application = 0x0240,
  application_not_yet_effective = 0x0220,
  requested_service_not_allowed = 0x0210,
  new_card = 0x0208,
  // Byte 3
  cardholder_verification_not_successful = 0x0380,
  unrecognised_cvm = 0x0340,
  pin_try_limit_exceeded = 0x0320,
  pin_pad_not_present_or_not_working = 0x0310,
  pin_pad_present_pin_not_entered = 0x0308,
  online_pin_entered = 0x0304,
  // Byte 4
  transaction_exceeds_floor_limit = 0x0480,
  lower_consecutive_offline_limit_exceeded = 0x0440,
  upper_consecutive_offline_limit_exceeded = 0x0420,
  transaction_selected_randomly_for_online = 0x0410,
  merchant_forced_transaction_online = 0x0408,
  // Byte 5
  default_tdol_used = 0x0580,
  issuer_authentication_failed = 0x0540,
  script_processing_failed_before_final_generate_ac = 0x0520,
  script_processing_failed_after_final_generate_ac = 0x0510,
};

enum class TsiBit : std::uint16_t {
  // Byte 1; byte 2 is RFU
  offline_data_authentication_performed = 0x0180,
  cardholder_verification_performed = 0x0140,
  card_risk_management_performed = 0x0120,
  issuer_authentication_performed = 0x0110,
  terminal_risk_management_performed = 0x0108,
  script_processing_performed = 0x0104,
};

// Byte position (0-based) and mask of a bit packed as 0xBBMM.
template <class Bit>
constexpr std::size_t bit_byte(Bit bit) noexcept {
  return static_cast<std::size_t>((static_cast<std::uint16_t>(bit) >> 8) - 1);
}
template <class Bit>
constexpr Byte bit_mask(Bit bit) noexcept {
  return static_cast<Byte>(static_cast<std::uint16_t>(bit) & 0xFF);
}

// A fixed-length bit string of the books (TVR, TSI, AIP, terminal capabilities, AUC).
template <std::size_t N, class Bit>
class BitString {
 public:
  constexpr BitString() noexcept = default;
  // Takes up to N bytes; a shorter input leaves the remaining bytes 0.
  explicit BitString(ByteView bytes) noexcept {
    for (std::size_t i = 0; i < N && i < bytes.size(); ++i) bytes_[i] = bytes[i];
  }

  constexpr void set(Bit bit) noexcept { bytes_[bit_byte(bit)] |= bit_mask(bit); }
  [[nodiscard]] constexpr bool test(Bit bit) const noexcept {
    return bit_byte(bit) < N && (bytes_[bit_byte(bit)] & bit_mask(bit)) != 0;
  }
  constexpr void reset() noexcept { bytes_.fill(0); }
  [[nodiscard]] ByteView bytes() const noexcept { return {bytes_.data(), N}; }
  [[nodiscard]] bool any() const noexcept {
    for (Byte b : bytes_)
      if (b != 0) return true;
    return false;
  }

  friend bool operator==(const BitString&, const BitString&) = default;

 private:
  std::array<Byte, N> bytes_{};
};

using Tvr = BitString<5, TvrBit>;
using Tsi = BitString<2, TsiBit>;

// The Annex's wording for each bit ("SDA failed", "New card").
std::string_view name(TvrBit bit) noexcept;
std::string_view name(TsiBit bit) noexcept;
// Every bit defined by Annex C5 / C6, in Annex order.
std::span<const TvrBit> all_tvr_bits() noexcept;
std::span<const TsiBit> all_tsi_bits() noexcept;

// The names of the bits set, in Annex order: "TVR 9000000000: [Offline data ...]" for logs.
std::vector<std::string_view> set_bit_names(const Tvr& tvr);
std::vector<std::string_view> set_bit_names(const Tsi& tsi);
std::string describe(const Tvr& tvr);

}  // namespace tender::emv
