#include "app/terminal/terminal_json.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "app/config/json_fields.hpp"
#include "emv/dol.hpp"

namespace tender::app {
namespace {

using config_detail::field_error;
using config_detail::Json;
using config_detail::Object;

constexpr std::size_t kMinAidBytes = 5;    // a RID (Book 1 12.2.1)
constexpr std::size_t kMaxAidBytes = 16;   // ISO/IEC 7816-4
constexpr std::size_t kMaxDolBytes = 252;  // what one TLV in a record can carry
// A DDOL's data is INTERNAL AUTHENTICATE's command data: one short APDU.
constexpr std::size_t kMaxDolDataBytes = 255;
constexpr std::int64_t kMaxPercentage = 99;  // Book 3 10.6.2: 0 to 99
constexpr std::size_t kMaxIfdSerial = 8;     // 9F1E, an 8

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Hex of min..max bytes ("must be 5 bytes of hex", "must be 5 to 16 bytes of hex").
Result<Bytes> hex_field(const Object& o, std::string_view key, std::size_t min, std::size_t max) {
  auto text = o.text(key);
  if (!text) return std::move(text).error();
  const std::string size = min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
  auto bytes = from_hex(*text);
  if (!bytes || bytes->size() < min || bytes->size() > max)
    return field_error(Errc::malformed, o.path(key), "must be " + size + " bytes of hex");
  return bytes;
}

template <std::size_t N>
Result<std::array<Byte, N>> hex_array(const Object& o, std::string_view key) {
  auto bytes = hex_field(o, key, N, N);
  if (!bytes) return std::move(bytes).error();
  std::array<Byte, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// A numeric code of exactly `count` decimal digits (9F1A, 9F15 are n).
Result<std::uint16_t> digits_field(const Object& o, std::string_view key, std::size_t count) {
  auto text = o.text(key);
  if (!text) return std::move(text).error();
  if (text->size() != count || !std::all_of(text->begin(), text->end(), is_digit))
    return field_error(Errc::malformed, o.path(key), "must be " + std::to_string(count) + " digits");
  return static_cast<std::uint16_t>(std::stoi(*text));
}

// Book 4 Annex A1: the first digit says who operates the terminal (1 financial
// institution, 2 merchant, 3 cardholder), the second its environment (1..6).
Result<Byte> terminal_type(const Object& o) {
  auto code = digits_field(o, "terminal_type", 2);
  if (!code) return std::move(code).error();
  const int operated_by = *code / 10;
  const int environment = *code % 10;
  if (operated_by < 1 || operated_by > 3 || environment < 1 || environment > 6)
    return field_error(Errc::out_of_range, o.path("terminal_type"), "must be a Book 4 Annex A1 type (11-16, 21-26, 31-36)");
  return static_cast<Byte>(operated_by << 4 | environment);
}

// A non-negative decimal amount in the terminal's currency, in minor units.
Result<std::int64_t> amount_field(const Object& o, std::string_view key, Currency currency) {
  auto text = o.text(key);
  if (!text) return std::move(text).error();
  auto amount = Money::parse(*text, currency);
  if (!amount)
    return field_error(Errc::malformed, o.path(key), "must be a decimal amount in " + std::string(currency.alpha));
  if (amount->minor_units() < 0) return field_error(Errc::out_of_range, o.path(key), "must not be negative");
  return amount->minor_units();
}

// An optional Data Object List: its syntax (Book 3 5.4) and the data it asks for.
Result<Bytes> dol_field(const Object& o, std::string_view key) {
  if (o.find(key) == nullptr) return Bytes{};
  auto dol = hex_field(o, key, 1, kMaxDolBytes);
  if (!dol) return std::move(dol).error();
  auto entries = emv::parse_dol(*dol);
  if (!entries) return field_error(Errc::malformed, o.path(key), "is not a data object list (tag, length pairs)");
  if (emv::dol_data_length(*entries) > kMaxDolDataBytes)
    return field_error(Errc::out_of_range, o.path(key), "asks for more than 255 bytes of data");
  return dol;
}

Result<emv::AidConfig> aid_entry(Json& value, const std::string& path, Currency currency) {
  auto o = Object::open(value, path,
                        {"name", "aid", "partial_selection", "application_version", "tac_denial", "tac_online",
                         "tac_default", "floor_limit", "random_selection_threshold", "target_percentage",
                         "max_target_percentage", "default_ddol", "default_tdol"});
  if (!o) return std::move(o).error();
  emv::AidConfig a;
  if (o->find("name") != nullptr) {  // for the people who read the file
    auto name = o->text("name");
    if (!name) return std::move(name).error();
  }
  auto aid = hex_field(*o, "aid", kMinAidBytes, kMaxAidBytes);
  if (!aid) return std::move(aid).error();
  a.aid = std::move(*aid);
  auto partial = o->boolean_or("partial_selection", a.partial_selection);
  if (!partial) return std::move(partial).error();
  a.partial_selection = *partial;
  auto version = hex_field(*o, "application_version", 2, 2);
  if (!version) return std::move(version).error();
  a.application_version = std::move(*version);
  for (const auto& [key, target] : {std::pair{"tac_denial", &a.tac_denial}, std::pair{"tac_online", &a.tac_online},
                                    std::pair{"tac_default", &a.tac_default}}) {
    auto tac = hex_array<5>(*o, key);
    if (!tac) return std::move(tac).error();
    *target = *tac;
  }
  auto floor = amount_field(*o, "floor_limit", currency);
  if (!floor) return std::move(floor).error();
  a.floor_limit = *floor;
  if (o->find("random_selection_threshold") != nullptr) {
    auto threshold = amount_field(*o, "random_selection_threshold", currency);
    if (!threshold) return std::move(threshold).error();
    // Book 3 10.6.2: biased selection runs between the threshold and the floor limit.
    if (*threshold > a.floor_limit)
      return field_error(Errc::invalid_argument, o->path("random_selection_threshold"), "must not exceed floor_limit");
    a.random_selection_threshold = *threshold;
  }
  auto target = o->integer_or("target_percentage", 0, 0, kMaxPercentage);
  if (!target) return std::move(target).error();
  auto max_target = o->integer_or("max_target_percentage", 0, 0, kMaxPercentage);
  if (!max_target) return std::move(max_target).error();
  if (*target > *max_target)
    return field_error(Errc::invalid_argument, o->path("target_percentage"), "must not exceed max_target_percentage");
  a.target_percentage = static_cast<unsigned>(*target);
  a.max_target_percentage = static_cast<unsigned>(*max_target);
  auto ddol = dol_field(*o, "default_ddol");
  if (!ddol) return std::move(ddol).error();
  a.default_ddol = std::move(*ddol);
  auto tdol = dol_field(*o, "default_tdol");
  if (!tdol) return std::move(tdol).error();
  a.default_tdol = std::move(*tdol);
  return a;
}

Result<void> terminal_fields(const Object& o, Currency currency, emv::TerminalConfig& c) {
  auto type = terminal_type(o);
  if (!type) return std::move(type).error();
  c.terminal_type = *type;
  auto capabilities = hex_array<3>(o, "capabilities");
  if (!capabilities) return std::move(capabilities).error();
  c.capabilities = *capabilities;
  auto additional = hex_array<5>(o, "additional_capabilities");
  if (!additional) return std::move(additional).error();
  c.additional_capabilities = *additional;
  auto country = digits_field(o, "country", 3);
  if (!country) return std::move(country).error();
  if (*country == 0) return field_error(Errc::out_of_range, o.path("country"), "must be an ISO 3166-1 numeric code");
  c.country_code = *country;
  auto alpha = o.text("currency");
  if (!alpha) return std::move(alpha).error();
  const auto named = currency_by_alpha(*alpha);
  if (!named) return field_error(Errc::out_of_range, o.path("currency"), "is not an ISO 4217 code the terminal knows");
  // One currency per terminal: the file's floor limits and 5F2A must mean the amounts the
  // engine sends.
  if (*named != currency)
    return field_error(Errc::invalid_argument, o.path("currency"),
                       "is " + *alpha + " but the terminal's currency is " + std::string(currency.alpha));
  c.currency = currency;
  auto mcc = digits_field(o, "merchant_category_code", 4);
  if (!mcc) return std::move(mcc).error();
  c.merchant_category_code = *mcc;
  if (o.find("transaction_category_code") != nullptr) {
    auto code = o.text("transaction_category_code");
    if (!code) return std::move(code).error();
    if (code->size() != 1 || !is_alnum((*code)[0]))
      return field_error(Errc::malformed, o.path("transaction_category_code"), "must be one letter or digit");
    c.transaction_category_code = static_cast<Byte>((*code)[0]);
  }
  if (o.find("ifd_serial") != nullptr) {
    auto serial = o.text("ifd_serial");
    if (!serial) return std::move(serial).error();
    if (serial->empty() || serial->size() > kMaxIfdSerial || !std::all_of(serial->begin(), serial->end(), is_alnum))
      return field_error(Errc::malformed, o.path("ifd_serial"), "must be 1 to 8 letters or digits");
    c.ifd_serial = std::move(*serial);
  }
  for (const auto& [key, target] : {std::pair{"pse", &c.pse_supported},
                                    std::pair{"cardholder_confirmation", &c.cardholder_confirmation},
                                    std::pair{"velocity_checking", &c.velocity_checking}}) {
    auto flag = o.boolean_or(key, *target);
    if (!flag) return std::move(flag).error();
    *target = *flag;
  }
  return ok();
}

}  // namespace

Result<emv::TerminalConfig> parse_terminal_json(std::string_view json_text, Currency currency) {
  auto parsed = config_detail::parse_json(json_text);
  if (!parsed) return std::move(parsed).error();
  auto root = Object::open(*parsed, "",
                           {"note", "terminal_type", "capabilities", "additional_capabilities", "country", "currency",
                            "merchant_category_code", "transaction_category_code", "ifd_serial", "pse",
                            "cardholder_confirmation", "velocity_checking", "aids"});
  if (!root) return std::move(root).error();
  if (root->find("note") != nullptr) {
    auto note = root->text("note");
    if (!note) return std::move(note).error();
  }
  emv::TerminalConfig config;
  if (auto r = terminal_fields(*root, currency, config); !r) return std::move(r).error();

  auto list = root->required("aids");
  if (!list) return std::move(list).error();
  Json* aids = root->find_mutable("aids");
  if (!aids->is_array()) return field_error(Errc::malformed, "aids", "must be an array of objects");
  // A terminal without an AID accepts no chip card: that is a configuration mistake.
  if (aids->empty()) return field_error(Errc::invalid_argument, "aids", "must list at least one AID");
  for (std::size_t i = 0; i < aids->size(); ++i) {
    const std::string path = "aids[" + std::to_string(i) + "]";
    auto aid = aid_entry((*aids)[i], path, currency);
    if (!aid) return std::move(aid).error();
    // The kernel finds an AID's parameters by the AID: a second entry would never be used.
    for (std::size_t j = 0; j < config.aids.size(); ++j) {
      if (config.aids[j].aid == aid->aid)
        return field_error(Errc::invalid_argument, path + ".aid", "repeats aids[" + std::to_string(j) + "].aid");
    }
    config.aids.push_back(std::move(*aid));
  }
  return config;
}

}  // namespace tender::app
