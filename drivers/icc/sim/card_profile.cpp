#include "drivers/icc/sim/card_profile.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/pan.hpp"
#include "drivers/icc/sim/json_fields.hpp"
#include "emv/dol.hpp"

namespace tender::icc::sim {
namespace {

using emv::Tag;

// ODA data elements the card computes at load, and the methods that provide them.
bool oda_tag_available(Tag tag, OdaMethod method) {
  switch (tag) {
    case 0x8F: case 0x90: case 0x92: case 0x9F32: return method != OdaMethod::none;
    case 0x93: return method == OdaMethod::sda;
    case 0x9F46: case 0x9F47: case 0x9F48: return method == OdaMethod::dda || method == OdaMethod::cda;
    default: return false;
  }
}
bool is_oda_tag(Tag tag) { return oda_tag_available(tag, OdaMethod::sda) || oda_tag_available(tag, OdaMethod::dda); }

bool bcd_digits(ByteView b) {
  return std::all_of(b.begin(), b.end(), [](Byte x) { return (x >> 4) <= 9 && (x & 0x0F) <= 9; });
}

// Digits packed two a byte, an odd count padded with F (cn and track 2 style).
Bytes pack_digits(std::string_view digits) {
  Bytes out((digits.size() + 1) / 2, 0xFF);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const Byte nibble = digits[i] == 'D' ? Byte{0x0D} : static_cast<Byte>(digits[i] - '0');
    out[i / 2] = i % 2 == 0 ? static_cast<Byte>((nibble << 4) | 0x0F) : static_cast<Byte>((out[i / 2] & 0xF0) | nibble);
  }
  return out;
}

// YYMMDD as 3 BCD bytes with a plausible month and day.
Result<Bytes> date_field(JsonObject& o, std::string_view key, bool required) {
  auto v = o.optional_hex(key, 3, 3);
  if (!v) return std::move(v).error();
  if (!*v) {
    if (required) return field_error(Errc::not_found, o.field(key), "is required");
    return Bytes{};
  }
  const Bytes& d = **v;
  const int month = (d[1] >> 4) * 10 + (d[1] & 0x0F), day = (d[2] >> 4) * 10 + (d[2] & 0x0F);
  if (!bcd_digits(d) || month < 1 || month > 12 || day < 1 || day > 31)
    return field_error(Errc::out_of_range, o.field(key), "must be a date YYMMDD");
  return std::move(**v);
}

Result<std::vector<emv::DolEntry>> dol_field(JsonObject& o, std::string_view key, bool required, Bytes& out) {
  auto v = o.optional_hex(key, 1, 252);
  if (!v) return std::move(v).error();
  if (!*v) {
    if (required) return field_error(Errc::not_found, o.field(key), "is required");
    return std::vector<emv::DolEntry>{};
  }
  auto dol = emv::parse_dol(**v);
  if (!dol) return field_error(Errc::malformed, o.field(key), "is not a valid data object list");
  if (emv::dol_data_length(*dol) > 255)
    return field_error(Errc::out_of_range, o.field(key), "asks for more than 255 bytes");
  out = std::move(**v);
  return dol;
}

const emv::DolEntry* find_entry(const std::vector<emv::DolEntry>& dol, Tag tag) {
  auto it = std::find_if(dol.begin(), dol.end(), [tag](const emv::DolEntry& e) { return e.tag == tag; });
  return it == dol.end() ? nullptr : &*it;
}

class ApplicationReader {
 public:
  ApplicationReader(JsonObject& o, Application& app) : o_(o), app_(app) {}

  Result<void> read() {
    if (auto r = identity(); !r) return r;
    if (auto r = processing(); !r) return r;
    if (auto r = data_elements(); !r) return r;
    if (auto r = keys_and_rules(); !r) return r;
    if (auto r = records(); !r) return r;
    if (auto r = cross_checks(); !r) return r;
    return o_.finish();
  }

 private:
  // A named field that becomes a data element; a duplicate in "data" is an error.
  void put(Tag tag, Bytes value, std::string_view field) {
    app_.data[tag] = std::move(value);
    named_[tag] = std::string(field);
  }
  Result<void> put_hex(Tag tag, std::string_view key, std::size_t min, std::size_t max) {
    auto v = o_.optional_hex(key, min, max);
    if (!v) return std::move(v).error();
    if (*v) put(tag, std::move(**v), key);
    return ok();
  }

  Result<void> identity() {
    auto aid = o_.hex("aid", 5, 16);
    if (!aid) return std::move(aid).error();
    app_.aid = std::move(*aid);
    auto label = o_.text("label", 1, 16);
    if (!label) return std::move(label).error();
    app_.label = std::move(*label);
    auto preferred = o_.optional_text("preferred_name", 1, 16);
    if (!preferred) return std::move(preferred).error();
    app_.preferred_name = std::move(*preferred);
    auto priority = o_.integer("priority", 0, 15, 0);
    if (!priority) return std::move(priority).error();
    app_.priority = static_cast<Byte>(*priority);
    auto confirm = o_.boolean("confirmation_required", false);
    if (!confirm) return std::move(confirm).error();
    app_.confirmation_required = *confirm;
    auto language = o_.optional_text("language", 2, 8);
    if (!language) return std::move(language).error();
    app_.language = std::move(*language);
    auto blocked = o_.boolean("blocked", false);
    if (!blocked) return std::move(blocked).error();
    app_.blocked = *blocked;
    return ok();
  }

  Result<void> processing() {
    auto pdol = dol_field(o_, "pdol", false, app_.pdol);
    if (!pdol) return std::move(pdol).error();
    auto gpo = o_.integer("gpo_format", 1, 2, 2);
    if (!gpo) return std::move(gpo).error();
    app_.gpo_format = static_cast<ResponseFormat>(*gpo);
    auto fmt = o_.integer("response_format", 1, 2, 2);
    if (!fmt) return std::move(fmt).error();
    app_.response_format = static_cast<ResponseFormat>(*fmt);
    auto aip = o_.hex("aip", 2, 2);
    if (!aip) return std::move(aip).error();
    std::copy(aip->begin(), aip->end(), app_.aip.begin());

    auto afl = json_array(o_.get("afl"), o_.field("afl"));
    if (!afl) return std::move(afl).error();
    if ((*afl)->empty() || (*afl)->size() > 16) return field_error(Errc::out_of_range, o_.field("afl"), "must have 1..16 entries");
    for (std::size_t i = 0; i < (*afl)->size(); ++i) {
      auto e = JsonObject::of((**afl)[i], o_.field("afl") + "[" + std::to_string(i) + "]");
      if (!e) return std::move(e).error();
      auto sfi = e->integer("sfi", 1, 30);
      if (!sfi) return std::move(sfi).error();
      auto first = e->integer("first", 1, 255);
      if (!first) return std::move(first).error();
      auto last = e->integer("last", *first, 255);
      if (!last) return std::move(last).error();
      auto oda = e->integer("oda", 0, *last - *first + 1, 0);
      if (!oda) return std::move(oda).error();
      if (auto r = e->finish(); !r) return r;
      app_.afl.push_back({static_cast<Byte>(*sfi), static_cast<Byte>(*first), static_cast<Byte>(*last),
                          static_cast<Byte>(*oda)});
    }
    return ok();
  }

  Result<void> data_elements() {
    auto pan = o_.text("pan", kPanMinLength, kPanMaxLength);
    if (!pan) return std::move(pan).error();
    if (!Pan::parse(*pan)) return field_error(Errc::malformed, o_.field("pan"), "must be 12..19 decimal digits");
    app_.pan = std::move(*pan);
    put(0x5A, pack_digits(app_.pan), "pan");
    auto psn = o_.optional_hex("pan_sequence_number", 1, 1);
    if (!psn) return std::move(psn).error();
    if (*psn) {
      if (!bcd_digits(**psn)) return field_error(Errc::malformed, o_.field("pan_sequence_number"), "must be two digits");
      app_.pan_sequence_number = (**psn)[0];
      put(0x5F34, std::move(**psn), "pan_sequence_number");
    }
    auto expiry = date_field(o_, "expiry_date", true);
    if (!expiry) return std::move(expiry).error();
    put(0x5F24, std::move(*expiry), "expiry_date");
    auto effective = date_field(o_, "effective_date", false);
    if (!effective) return std::move(effective).error();
    if (!effective->empty()) put(0x5F25, std::move(*effective), "effective_date");

    auto track2 = o_.optional_text("track2_equivalent", 1, 37);
    if (!track2) return std::move(track2).error();
    if (*track2) {
      const std::string& t = **track2;
      const bool digits = std::all_of(t.begin(), t.end(), [](char c) { return (c >= '0' && c <= '9') || c == 'D'; });
      if (!digits || t.rfind(app_.pan + "D", 0) != 0)
        return field_error(Errc::malformed, o_.field("track2_equivalent"), "must be the PAN, D, then digits");
      put(0x57, pack_digits(t), "track2_equivalent");
    }
    auto name = o_.optional_text("cardholder_name", 2, 26);
    if (!name) return std::move(name).error();
    if (*name) put(0x5F20, Bytes(as_bytes(**name).begin(), as_bytes(**name).end()), "cardholder_name");

    auto cvm = o_.optional_hex("cvm_list", 8, 252);
    if (!cvm) return std::move(cvm).error();
    if (*cvm) {
      if ((*cvm)->size() % 2 != 0) return field_error(Errc::malformed, o_.field("cvm_list"), "must be X, Y and 2-byte rules");
      put(0x8E, std::move(**cvm), "cvm_list");
    }
    static constexpr std::tuple<Tag, std::string_view, std::size_t> kFixed[] = {
        {0x9F0D, "iac_default", 5}, {0x9F0E, "iac_denial", 5}, {0x9F0F, "iac_online", 5},
        {0x9F07, "auc", 2},         {0x9F08, "application_version", 2}};
    for (const auto& [tag, key, length] : kFixed)
      if (auto r = put_hex(tag, key, length, length); !r) return r;

    auto cdol1 = dol_field(o_, "cdol1", true, app_.cdol1);
    if (!cdol1) return std::move(cdol1).error();
    static constexpr std::pair<Tag, std::size_t> kAcTerminalData[] = {
        {0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}};
    for (const auto& [tag, length] : kAcTerminalData) {
      const emv::DolEntry* e = find_entry(*cdol1, tag);
      if (!e || e->length != length)
        return field_error(Errc::malformed, o_.field("cdol1"),
                           "must ask for " + emv::tag_to_hex(tag) + " with length " + std::to_string(length) +
                               " (AC input)");
    }
    put(0x8C, app_.cdol1, "cdol1");
    auto cdol2 = dol_field(o_, "cdol2", true, app_.cdol2);
    if (!cdol2) return std::move(cdol2).error();
    put(0x8D, app_.cdol2, "cdol2");
    cdol2_entries_ = std::move(*cdol2);
    auto ddol = dol_field(o_, "ddol", false, app_.ddol);
    if (!ddol) return std::move(ddol).error();
    if (!app_.ddol.empty()) put(0x9F49, app_.ddol, "ddol");

    const Json* extra = o_.get("data");
    if (!extra) return ok();
    auto obj = JsonObject::of(*extra, o_.field("data"));
    if (!obj) return std::move(obj).error();
    for (auto it = extra->begin(); it != extra->end(); ++it) {
      const std::string field = obj->field(it.key());
      auto tag = emv::tag_from_hex(it.key());
      if (!tag) return field_error(Errc::malformed, field, "is not a tag");
      if (named_.contains(*tag)) return field_error(Errc::malformed, field, "is already given by field " + named_[*tag]);
      if (is_oda_tag(*tag)) return field_error(Errc::malformed, field, "is computed by the card from the test PKI");
      auto value = obj->hex(it.key(), 0, 255);
      if (!value) return std::move(value).error();
      app_.data[*tag] = std::move(*value);
    }
    return obj->finish();
  }

  Result<void> keys_and_rules() {
    auto atc = o_.integer("atc", 0, 0xFFFE, 1);
    if (!atc) return std::move(atc).error();
    app_.atc = static_cast<std::uint16_t>(*atc);
    auto last = o_.integer("last_online_atc", 0, 0xFFFF, 0);
    if (!last) return std::move(last).error();
    app_.last_online_atc = static_cast<std::uint16_t>(*last);
    auto imk = o_.hex("imk_ac", 16, 16);
    if (!imk) return std::move(imk).error();
    app_.imk_ac = emv::DesKey{*imk};
    auto cvn = o_.integer("cryptogram_version", 0, 255, 1);
    if (!cvn) return std::move(cvn).error();
    app_.cryptogram_version = static_cast<Byte>(*cvn);
    auto dki = o_.integer("derivation_key_index", 0, 255, 1);
    if (!dki) return std::move(dki).error();
    app_.derivation_key_index = static_cast<Byte>(*dki);
    if (auto r = oda(); !r) return r;
    if (auto r = risk(); !r) return r;

    auto ia = o_.choice("issuer_authentication", {"external_authenticate", "cdol2", "none"}, "external_authenticate");
    if (!ia) return std::move(ia).error();
    app_.issuer_authentication = *ia == "cdol2"   ? IssuerAuthentication::cdol2
                                 : *ia == "none" ? IssuerAuthentication::none
                                                 : IssuerAuthentication::external_authenticate;
    if (app_.issuer_authentication == IssuerAuthentication::cdol2) {
      const emv::DolEntry* e = find_entry(cdol2_entries_, 0x91);
      if (!e || e->length < 10 || e->length > 16)
        return field_error(Errc::malformed, o_.field("cdol2"), "must ask for 91 (10..16 bytes) when issuer_authentication is cdol2");
    }
    // AIP byte 1 bit 3 tells the terminal to send EXTERNAL AUTHENTICATE (Book 3 10.9);
    // a card that expects its ARPC elsewhere must not claim it, or every online
    // transaction fails issuer authentication.
    constexpr Byte kAipIssuerAuthentication = 0x04;
    const bool aip_says_external = (app_.aip[0] & kAipIssuerAuthentication) != 0;
    if (aip_says_external != (app_.issuer_authentication == IssuerAuthentication::external_authenticate)) {
      return field_error(Errc::malformed, o_.field("aip"),
                         "byte 1 bit 3 (issuer authentication supported) must be set exactly when "
                         "issuer_authentication is external_authenticate");
    }
    auto mac = o_.boolean("script_mac", false);
    if (!mac) return std::move(mac).error();
    app_.script_mac = *mac;
    return ok();
  }

  Result<void> oda() {
    const Json* v = o_.get("oda");
    if (!v) return ok();
    auto obj = JsonObject::of(*v, o_.field("oda"));
    if (!obj) return std::move(obj).error();
    auto method = obj->choice("method", {"none", "sda", "dda", "cda"});
    if (!method) return std::move(method).error();
    OdaConfig& oda = app_.oda;
    oda.method = *method == "sda" ? OdaMethod::sda : *method == "dda" ? OdaMethod::dda
                 : *method == "cda" ? OdaMethod::cda : OdaMethod::none;
    const bool needs_issuer = oda.method != OdaMethod::none;
    const bool needs_icc = oda.method == OdaMethod::dda || oda.method == OdaMethod::cda;
    for (auto [key, target, needed] : {std::tuple{"ca_key", &oda.ca_key, needs_issuer},
                                       std::tuple{"issuer_key", &oda.issuer_key, needs_issuer},
                                       std::tuple{"icc_key", &oda.icc_key, needs_icc}}) {
      auto name = needed ? obj->text(key, 1, 64) : obj->text(key, 0, 64);
      if (!name && !(needed == false && name.error().code == Errc::not_found)) return std::move(name).error();
      if (name) *target = std::move(*name);
    }
    auto expiry = obj->optional_hex("certificate_expiry", 2, 2);
    if (!expiry) return std::move(expiry).error();
    if (*expiry) std::copy((*expiry)->begin(), (*expiry)->end(), oda.certificate_expiry.begin());
    auto dac = obj->optional_hex("data_authentication_code", 2, 2);
    if (!dac) return std::move(dac).error();
    if (*dac) std::copy((*dac)->begin(), (*dac)->end(), oda.data_authentication_code.begin());
    return obj->finish();
  }

  Result<void> risk() {
    const Json* v = o_.get("card_risk");
    if (!v) return ok();
    auto obj = JsonObject::of(*v, o_.field("card_risk"));
    if (!obj) return std::move(obj).error();
    auto first = obj->choice("first_ac", {"terminal", "online", "decline"}, "terminal");
    if (!first) return std::move(first).error();
    app_.risk.first_ac = *first == "online" ? FirstAcRule::online : *first == "decline" ? FirstAcRule::decline
                                                                                        : FirstAcRule::terminal;
    auto second = obj->choice("second_ac", {"terminal", "decline"}, "terminal");
    if (!second) return std::move(second).error();
    app_.risk.second_ac = *second == "decline" ? SecondAcRule::decline : SecondAcRule::terminal;
    auto require = obj->boolean("require_issuer_authentication", false);
    if (!require) return std::move(require).error();
    app_.risk.require_issuer_authentication = *require;
    return obj->finish();
  }

  Result<void> records();

  // Enciphered offline PIN (CVM codes 04, 05) needs the ICC key, which only DDA and CDA
  // cards carry with its certificate.
  Result<void> cross_checks() const {
    auto cvm = app_.data.find(0x8E);
    if (cvm == app_.data.end()) return ok();
    for (std::size_t i = 8; i + 1 < cvm->second.size(); i += 2) {
      const Byte code = cvm->second[i] & 0x3F;
      const bool icc_key = app_.oda.method == OdaMethod::dda || app_.oda.method == OdaMethod::cda;
      if ((code == 0x04 || code == 0x05) && !icc_key)
        return field_error(Errc::malformed, o_.field("cvm_list"), "enciphered offline PIN needs oda.method dda or cda");
    }
    return ok();
  }

  JsonObject& o_;
  Application& app_;
  std::map<Tag, std::string> named_;
  std::vector<emv::DolEntry> cdol2_entries_;
};

Result<void> ApplicationReader::records() {
  auto list = json_array(o_.get("records"), o_.field("records"));
  if (!list) return std::move(list).error();
  std::set<std::pair<Byte, Byte>> seen;
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    auto r = JsonObject::of((**list)[i], o_.field("records") + "[" + std::to_string(i) + "]");
    if (!r) return std::move(r).error();
    RecordSpec spec;
    auto sfi = r->integer("sfi", 1, 30);
    if (!sfi) return std::move(sfi).error();
    auto number = r->integer("record", 1, 255);
    if (!number) return std::move(number).error();
    spec.sfi = static_cast<Byte>(*sfi);
    spec.number = static_cast<Byte>(*number);
    if (!seen.insert({spec.sfi, spec.number}).second)
      return field_error(Errc::malformed, r->path(), "duplicates another record's SFI and number");
    auto raw = r->optional_hex("hex", 2, 254);
    if (!raw) return std::move(raw).error();
    const Json* tags = r->get("tags");
    if (*raw == std::nullopt && tags == nullptr)
      return field_error(Errc::not_found, r->path(), "needs tags or hex");
    if (*raw && tags) return field_error(Errc::malformed, r->path(), "has both tags and hex");
    if (*raw) {
      auto nodes = emv::decode(**raw);
      if (!nodes || nodes->size() != 1 || (*nodes)[0].tag != 0x70)
        return field_error(Errc::malformed, r->field("hex"), "must be one template 70");
      spec.raw = std::move(**raw);
    } else {
      auto arr = json_array(tags, r->field("tags"));
      if (!arr) return std::move(arr).error();
      for (std::size_t j = 0; j < (*arr)->size(); ++j) {
        const std::string field = r->field("tags") + "[" + std::to_string(j) + "]";
        const Json& t = (**arr)[j];
        auto tag = t.is_string() ? emv::tag_from_hex(t.get<std::string>()) : Result<Tag>(make_error(Errc::malformed, ""));
        if (!tag) return field_error(Errc::malformed, field, "is not a tag");
        if (!app_.data.contains(*tag) && !oda_tag_available(*tag, app_.oda.method))
          return field_error(Errc::not_found, field, "names a data element the application does not have");
        spec.tags.push_back(*tag);
      }
    }
    if (auto f = r->finish(); !f) return f;
    app_.records.push_back(std::move(spec));
  }
  // Every record the AFL names must exist; ODA records may not hold what signs them.
  for (std::size_t i = 0; i < app_.afl.size(); ++i) {
    const AflEntry& e = app_.afl[i];
    for (int n = e.first; n <= e.last; ++n) {
      auto it = std::find_if(app_.records.begin(), app_.records.end(),
                             [&](const RecordSpec& s) { return s.sfi == e.sfi && s.number == n; });
      const std::string field = o_.field("afl") + "[" + std::to_string(i) + "]";
      if (it == app_.records.end())
        return field_error(Errc::not_found, field, "names record " + std::to_string(n) + " of SFI " +
                                                       std::to_string(e.sfi) + ", which records lacks");
      const bool signed_record = n < e.first + e.oda_records;
      const bool circular = std::any_of(it->tags.begin(), it->tags.end(), [](Tag t) { return t == 0x93 || t == 0x9F46; });
      if (signed_record && circular)
        return field_error(Errc::malformed, field, "ODA records cannot hold 93 or 9F46 (they sign those records)");
    }
  }
  return ok();
}

Result<IssuerSection> read_issuer(const Json& value) {
  auto o = JsonObject::of(value, "issuer");
  if (!o) return std::move(o).error();
  IssuerSection issuer;
  auto imk = o->hex("imk_ac", 16, 16);
  if (!imk) return std::move(imk).error();
  issuer.imk_ac = emv::DesKey{*imk};
  if (const Json* scripts = o->get("scripts")) {
    auto arr = json_array(scripts, "issuer.scripts");
    if (!arr) return std::move(arr).error();
    for (std::size_t i = 0; i < (*arr)->size(); ++i) {
      auto s = JsonObject::of((**arr)[i], "issuer.scripts[" + std::to_string(i) + "]");
      if (!s) return std::move(s).error();
      IssuerScript script;
      auto tmpl = s->choice("template", {"71", "72"});
      if (!tmpl) return std::move(tmpl).error();
      script.template_tag = *tmpl == "71" ? 0x71 : 0x72;
      auto id = s->optional_hex("id", 4, 4);
      if (!id) return std::move(id).error();
      if (*id) script.identifier = std::array<Byte, 4>{(**id)[0], (**id)[1], (**id)[2], (**id)[3]};
      auto cmds = json_array(s->get("commands"), s->field("commands"));
      if (!cmds) return std::move(cmds).error();
      for (std::size_t j = 0; j < (*cmds)->size(); ++j) {
        const std::string field = s->field("commands") + "[" + std::to_string(j) + "]";
        const Json& c = (**cmds)[j];
        auto bytes = c.is_string() ? from_hex(c.get<std::string>()) : Result<Bytes>(make_error(Errc::malformed, ""));
        if (!bytes || bytes->size() < 4 || bytes->size() > 261)
          return field_error(Errc::malformed, field, "must be a command APDU in hex");
        script.commands.push_back(std::move(*bytes));
      }
      if (auto f = s->finish(); !f) return f.error();
      issuer.scripts.push_back(std::move(script));
    }
  }
  if (auto f = o->finish(); !f) return f.error();
  return issuer;
}

}  // namespace

Bytes IssuerScript::encode() const {
  Bytes body;
  if (identifier) emv::append_tlv(body, 0x9F18, *identifier);
  for (const Bytes& c : commands) emv::append_tlv(body, 0x86, c);
  return emv::encode_tlv(template_tag, body);
}

Bytes default_atr(Protocol protocol) {
  if (protocol == Protocol::t0) return {0x3B, 0x60, 0x00, 0x00};
  return {0x3B, 0xE0, 0x00, 0x00, 0x81, 0x31, 0xFE, 0x45, 0xEB};
}

Result<CardProfile> parse_profile(std::string_view json_text, std::string name) {
  auto json = parse_json(json_text, "profile " + name);
  if (!json) return std::move(json).error();
  auto o = JsonObject::of(*json, "");
  if (!o) return field_error(Errc::malformed, "profile", "must be a JSON object");
  CardProfile p;
  p.name = std::move(name);
  auto description = o->text("description", 1, 400);
  if (!description) return std::move(description).error();
  p.description = std::move(*description);
  auto protocol = o->choice("protocol", {"T=0", "T=1"}, "T=1");
  if (!protocol) return std::move(protocol).error();
  p.protocol = *protocol == "T=0" ? Protocol::t0 : Protocol::t1;
  auto atr = o->optional_hex("atr", 2, 33);
  if (!atr) return std::move(atr).error();
  p.atr = *atr ? std::move(**atr) : default_atr(p.protocol);
  auto pse = o->boolean("pse", true);
  if (!pse) return std::move(pse).error();
  p.pse = *pse;
  auto pse_sfi = o->integer("pse_sfi", 1, 10, 1);
  if (!pse_sfi) return std::move(pse_sfi).error();
  p.pse_sfi = static_cast<Byte>(*pse_sfi);

  auto pin = o->text("pin", 4, 12);
  if (!pin) return std::move(pin).error();
  if (!std::all_of(pin->begin(), pin->end(), [](char c) { return c >= '0' && c <= '9'; }))
    return field_error(Errc::malformed, "pin", "must be 4..12 digits");
  p.pin = SecretString{*pin};
  secure_zero(pin->data(), pin->size());
  auto limit = o->integer("pin_try_limit", 1, 15, 3);
  if (!limit) return std::move(limit).error();
  p.pin_try_limit = static_cast<Byte>(*limit);
  auto counter = o->integer("pin_try_counter", 0, *limit, *limit);
  if (!counter) return std::move(counter).error();
  p.pin_try_counter = static_cast<Byte>(*counter);

  auto apps = json_array(o->get("applications"), "applications");
  if (!apps) return std::move(apps).error();
  if ((*apps)->empty() || (*apps)->size() > 8)
    return field_error(Errc::out_of_range, "applications", "must have 1..8 entries");
  for (std::size_t i = 0; i < (*apps)->size(); ++i) {
    auto a = JsonObject::of((**apps)[i], "applications[" + std::to_string(i) + "]");
    if (!a) return std::move(a).error();
    Application app;
    if (auto r = ApplicationReader(*a, app).read(); !r) return std::move(r).error();
    for (const Application& other : p.applications)
      if (other.aid == app.aid) return field_error(Errc::malformed, a->field("aid"), "duplicates another application's AID");
    p.applications.push_back(std::move(app));
  }
  if (const Json* issuer = o->get("issuer")) {
    auto section = read_issuer(*issuer);
    if (!section) return std::move(section).error();
    p.issuer = std::move(*section);
  }
  if (auto f = o->finish(); !f) return std::move(f).error();
  return p;
}

Result<CardProfile> load_profile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "cannot read profile file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 1'000'000) return make_error(Errc::out_of_range, "profile file too large: " + path);
  return parse_profile(text.str(), std::filesystem::path(path).stem().string());
}

}  // namespace tender::icc::sim
