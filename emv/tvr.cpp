#include "emv/tvr.hpp"

namespace tender::emv {
namespace {

struct TvrName {
  TvrBit bit;
  std::string_view name;
};

// EMV 4.4 Book 3 Annex C5, Table 46.
constexpr TvrName kTvrNames[] = {
    {TvrBit::offline_data_authentication_not_performed, "Offline data authentication was not performed"},
    {TvrBit::sda_failed, "SDA failed"},
    {TvrBit::icc_data_missing, "ICC data missing"},
    {TvrBit::card_appears_on_exception_file, "Card appears on terminal exception file"},
    {TvrBit::dda_failed, "DDA failed"},
    {TvrBit::cda_failed, "CDA failed"},
    {TvrBit::sda_selected, "SDA selected"},
    {TvrBit::different_application_versions, "ICC and terminal have different application versions"},
    {TvrBit::expired_application, "Expired application"},
    {TvrBit::application_not_yet_effective, "Application not yet effective"},
    {TvrBit::requested_service_not_allowed, "Requested service not allowed for card product"},
    {TvrBit::new_card, "New card"},
    {TvrBit::cardholder_verification_not_successful, "Cardholder verification was not successful"},
    {TvrBit::unrecognised_cvm, "Unrecognised CVM"},
    {TvrBit::pin_try_limit_exceeded, "PIN Try Limit exceeded"},
    {TvrBit::pin_pad_not_present_or_not_working,
     "PIN entry required and PIN pad not present or not working"},
    {TvrBit::pin_pad_present_pin_not_entered,
     "PIN entry required, PIN pad present, but PIN was not entered"},
    {TvrBit::online_pin_entered, "Online PIN entered"},
    {TvrBit::transaction_exceeds_floor_limit, "Transaction exceeds floor limit"},
    {TvrBit::lower_consecutive_offline_limit_exceeded, "Lower consecutive offline limit exceeded"},
    {TvrBit::upper_consecutive_offline_limit_exceeded, "Upper consecutive offline limit exceeded"},
    {TvrBit::transaction_selected_randomly_for_online,
     "Transaction selected randomly for online processing"},
    {TvrBit::merchant_forced_transaction_online, "Merchant forced transaction online"},
    {TvrBit::default_tdol_used, "Default TDOL used"},
    {TvrBit::issuer_authentication_failed, "Issuer authentication failed"},
    {TvrBit::script_processing_failed_before_final_generate_ac,
     "Script processing failed before final GENERATE AC"},
    {TvrBit::script_processing_failed_after_final_generate_ac,
     "Script processing failed after final GENERATE AC"},
};

struct TsiName {
  TsiBit bit;
  std::string_view name;
};

// EMV 4.4 Book 3 Annex C6, Table 47.
constexpr TsiName kTsiNames[] = {
    {TsiBit::offline_data_authentication_performed, "Offline data authentication was performed"},
    {TsiBit::cardholder_verification_performed, "Cardholder verification was performed"},
    {TsiBit::card_risk_management_performed, "Card risk management was performed"},
    {TsiBit::issuer_authentication_performed, "Issuer authentication was performed"},
    {TsiBit::terminal_risk_management_performed, "Terminal risk management was performed"},
    {TsiBit::script_processing_performed, "Script processing was performed"},
};

constexpr auto kAllTvr = [] {
  std::array<TvrBit, std::size(kTvrNames)> bits{};
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = kTvrNames[i].bit;
  return bits;
}();
constexpr auto kAllTsi = [] {
  std::array<TsiBit, std::size(kTsiNames)> bits{};
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = kTsiNames[i].bit;
  return bits;
}();

template <class Table, class Bit>
std::string_view lookup(const Table& table, Bit bit) noexcept {
  for (const auto& row : table)
    if (row.bit == bit) return row.name;
  return "RFU";
}

}  // namespace

std::string_view name(TvrBit bit) noexcept { return lookup(kTvrNames, bit); }
std::string_view name(TsiBit bit) noexcept { return lookup(kTsiNames, bit); }
std::span<const TvrBit> all_tvr_bits() noexcept { return kAllTvr; }
std::span<const TsiBit> all_tsi_bits() noexcept { return kAllTsi; }

std::vector<std::string_view> set_bit_names(const Tvr& tvr) {
  std::vector<std::string_view> names;
  for (const auto& row : kTvrNames)
    if (tvr.test(row.bit)) names.push_back(row.name);
  return names;
}

std::vector<std::string_view> set_bit_names(const Tsi& tsi) {
  std::vector<std::string_view> names;
  for (const auto& row : kTsiNames)
    if (tsi.test(row.bit)) names.push_back(row.name);
  return names;
}

std::string describe(const Tvr& tvr) {
  std::string out = "TVR " + to_hex(tvr.bytes());
  const auto names = set_bit_names(tvr);
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += i == 0 ? ": " : "; ";
    out += names[i];
  }
  return out;
}

}  // namespace tender::emv
