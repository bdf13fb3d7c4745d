#include "emv/context.hpp"

#include <algorithm>

#include "emv/formats.hpp"

namespace tender::emv {

void TagStore::set(Tag tag, ByteView value) {
  for (Entry& entry : entries_) {
    if (entry.tag == tag) {
      entry.value = SecretBytes{value};
      return;
    }
  }
  entries_.push_back(Entry{tag, SecretBytes{value}});
}

bool TagStore::contains(Tag tag) const noexcept {
  return std::ranges::any_of(entries_, [tag](const Entry& e) { return e.tag == tag; });
}

std::optional<ByteView> TagStore::get(Tag tag) const noexcept {
  for (const Entry& entry : entries_)
    if (entry.tag == tag) return entry.value.reveal();
  return std::nullopt;
}

void TagStore::erase(Tag tag) noexcept {
  std::erase_if(entries_, [tag](const Entry& e) { return e.tag == tag; });
}

void TagStore::clear() noexcept { entries_.clear(); }

std::string Candidate::display_name() const {
  // Only code table 1 (ISO/IEC 8859-1) is assumed available; its ASCII part is kept.
  if (!preferred_name.empty() && issuer_code_table_index == 0x01) return preferred_name;
  return label;
}

Context::Context(const TerminalConfig& terminal_config, const TransactionInput& input)
    : config(terminal_config), txn(input) {}

std::optional<ByteView> Context::lookup(Tag tag) const {
  switch (tag) {
    case 0x95:
      return tvr.bytes();
    case 0x9B:
      return tsi.bytes();
    case 0x9F34:
      return ByteView{cvm_results};
    default:
      break;
  }
  if (auto value = terminal.get(tag)) return value;
  return icc.get(tag);
}

DolLookup Context::dol_lookup() const {
  return [this](Tag tag) { return lookup(tag); };
}

Aip Context::aip() const {
  const auto value = icc.get(0x82);
  return value ? Aip{*value} : Aip{};
}

Result<void> Context::set_transaction_data() {
  const Currency& currency = config.currency;
  if (txn.amount.currency() != currency ||
      (txn.amount_other && txn.amount_other->currency() != currency)) {
    return make_error(Errc::invalid_argument, "amount is not in the terminal's currency");
  }
  const std::int64_t other = txn.amount_other ? txn.amount_other->minor_units() : 0;
  if (txn.amount.minor_units() < 0 || other < 0) {
    return make_error(Errc::invalid_argument, "negative amount");
  }
  terminal.set(0x9F02, encode_n(static_cast<std::uint64_t>(txn.amount.minor_units()), 6));
  terminal.set(0x9F03, encode_n(static_cast<std::uint64_t>(other), 6));
  terminal.set(0x5F2A, encode_n(currency.numeric, 2));
  terminal.set(0x5F36, encode_n(currency.exponent, 1));
  terminal.set(0x9A, txn.date);
  terminal.set(0x9F21, txn.time);
  const Byte type[1] = {static_cast<Byte>(txn.type)};
  terminal.set(0x9C, type);
  terminal.set(0x9F41, encode_n(txn.sequence_counter, 4));
  const Byte terminal_type[1] = {config.terminal_type};
  terminal.set(0x9F35, terminal_type);
  terminal.set(0x9F33, config.capabilities);
  terminal.set(0x9F40, config.additional_capabilities);
  terminal.set(0x9F1A, encode_n(config.country_code, 2));
  terminal.set(0x9F15, encode_n(config.merchant_category_code, 2));
  terminal.set(0x9F1C, encode_text(config.terminal_id, 8));
  terminal.set(0x9F16, encode_text(config.merchant_id, 15));
  terminal.set(0x9F1E, encode_text(config.ifd_serial, 8));
  const Byte entry_mode[1] = {config.pos_entry_mode};
  terminal.set(0x9F39, entry_mode);
  if (config.transaction_category_code) {
    const Byte category[1] = {*config.transaction_category_code};
    terminal.set(0x9F53, category);
  }
  return ok();
}

Result<void> Context::set_amount(const Money& amount) {
  if (amount.currency() != config.currency) return make_error(Errc::invalid_argument, "amount is not in the terminal's currency");
  if (amount.minor_units() < 0) return make_error(Errc::invalid_argument, "negative amount");
  txn.amount = amount;
  terminal.set(0x9F02, encode_n(static_cast<std::uint64_t>(amount.minor_units()), 6));
  return ok();
}

void Context::set_application_data(const AidConfig& aid_config) {
  aid = &aid_config;
  terminal.set(0x9F06, aid_config.aid);
  terminal.set(0x9F09, aid_config.application_version);
  Byte floor_limit[4] = {};
  store_be(static_cast<std::uint64_t>(std::max<std::int64_t>(aid_config.floor_limit, 0)),
           floor_limit);
  terminal.set(0x9F1B, floor_limit);
}

}  // namespace tender::emv
