// VirtualCard: GENERATE AC (card action analysis, CDA), INTERNAL AUTHENTICATE (DDA),
// EXTERNAL AUTHENTICATE (ARPC method 1), the CVR.
#include <algorithm>
#include <map>

#include "drivers/icc/sim/sw.hpp"
#include "drivers/icc/sim/virtual_card.hpp"
#include "emv/sim/cryptogram.hpp"
#include "emv/sim/rsa_sign.hpp"

namespace tender::icc::sim {
namespace {

// Reference control parameter (Book 3 Table 12) and the CID's AC type bits.
constexpr Byte kAac = 0x00;
constexpr Byte kTc = 0x40;
constexpr Byte kArqc = 0x80;
constexpr Byte kAcTypeMask = 0xC0;
constexpr Byte kCdaRequested = 0x10;

Byte ac_type_bits(Byte type) { return type == kTc ? 0x01 : type == kArqc ? 0x02 : 0x00; }

void put_be16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<Byte>(v >> 8));
  out.push_back(static_cast<Byte>(v & 0xFF));
}

ResponseApdu template_response(ResponseFormat format, const Bytes& format2_body, const Bytes& format1_value) {
  if (format == ResponseFormat::format1) return {emv::encode_tlv(0x80, format1_value), kSwOk};
  return {emv::encode_tlv(0x77, format2_body), kSwOk};
}

}  // namespace

std::array<Byte, emv::kCvrLength> VirtualCard::cvr(Byte first_ac, std::optional<Byte> second_ac) const {
  std::array<Byte, emv::kCvrLength> v{};
  v[0] = static_cast<Byte>((second_ac ? ac_type_bits(*second_ac) << 6 : 0x80) | (ac_type_bits(first_ac) << 4));
  if (session_.cda_performed) v[0] |= 0x08;
  if (session_.dda_performed) v[0] |= 0x04;
  if (second_ac && first_ac == kArqc && !session_.issuer_auth_performed) v[0] |= 0x02;
  if (session_.issuer_auth_failed) v[0] |= 0x01;
  v[1] = static_cast<Byte>((pin_try_counter_ & 0x0F) << 4);
  if (session_.offline_pin_performed) v[1] |= 0x08;
  if (session_.offline_pin_failed) v[1] |= 0x04;
  if (pin_try_counter_ == 0) v[1] |= 0x02;
  if (session_.previous_online_incomplete) v[1] |= 0x01;
  v[3] = static_cast<Byte>((session_.scripts_processed & 0x0F) << 4);
  if (session_.script_failed) v[3] |= 0x08;
  return v;
}

bool VirtualCard::issuer_arpc_valid(ByteView data) {
  if (data.size() < 10) return false;
  const std::array<Byte, 2> arc{data[8], data[9]};
  const emv::DesKey sk = emv::derive_session_key(app().icc_master_key, state().atc);
  const auto expected = emv::arpc_method1(sk, session_.first_ac, arc);
  return constant_time_equal(expected.data(), data.data(), expected.size());
}

ResponseApdu VirtualCard::generate_ac(const CommandApdu& c) {
  if (c.p2 != 0x00 || (c.p1 & ~(kAcTypeMask | kCdaRequested)) != 0 || (c.p1 & kAcTypeMask) == kAcTypeMask)
    return status(sw::kWrongP1P2);
  if (!adf_selected() || !session_.gpo_done) return status(sw::kConditionsNotSatisfied);
  const bool first = session_.gen_ac_count == 0;
  if (!first && (session_.gen_ac_count > 1 || session_.first_ac_type != kArqc))
    return status(sw::kConditionsNotSatisfied);
  const Byte requested = c.p1 & kAcTypeMask;
  if (!first && requested == kArqc) return status(sw::kWrongP1P2);
  AppImage& a = app();
  AppState& st = state();
  const Application& profile = a.profile;

  auto values = emv::split_dol_data(first ? a.cdol1 : a.cdol2, c.data);
  if (!values) return status(sw::kWrongLength);
  std::map<emv::Tag, ByteView> terminal;
  if (!first) {
    // Terminal data the CDOL2 does not repeat keeps its CDOL1 value.
    if (auto cdol1 = emv::split_dol_data(a.cdol1, session_.cdol1_data))
      for (const auto& [tag, value] : *cdol1) terminal[tag] = value;
  }
  for (const auto& [tag, value] : *values) terminal[tag] = value;

  Byte type = kAac;
  if (first) {
    if (st.atc == 0xFFFF) return status(sw::kConditionsNotSatisfied);  // ATC exhausted
    ++st.atc;
    if (st.blocked || profile.risk.first_ac == FirstAcRule::decline || requested == kAac) type = kAac;
    else if (requested == kArqc || profile.risk.first_ac == FirstAcRule::online) type = kArqc;
    else type = kTc;
  } else {
    auto ia = terminal.find(0x91);
    if (profile.issuer_authentication == IssuerAuthentication::cdol2 && ia != terminal.end() &&
        std::any_of(ia->second.begin(), ia->second.end(), [](Byte b) { return b != 0; })) {
      session_.issuer_auth_performed = true;
      session_.issuer_auth_failed = !issuer_arpc_valid(ia->second);
    }
    const bool issuer_ok = session_.issuer_auth_performed && !session_.issuer_auth_failed;
    const bool refuse = st.blocked || requested == kAac || profile.risk.second_ac == SecondAcRule::decline ||
                        (profile.risk.require_issuer_authentication && !issuer_ok);
    type = refuse ? kAac : kTc;
    if (issuer_ok) st.last_online_atc = st.atc;
    st.online_pending = false;
  }
  const bool cda = (c.p1 & kCdaRequested) && profile.oda.method == OdaMethod::cda && a.icc_key && type != kAac;
  session_.cda_performed = session_.cda_performed || cda;

  const auto v = cvr(first ? type : session_.first_ac_type, first ? std::nullopt : std::optional<Byte>(type));
  Bytes iad{0x0F, profile.cryptogram_version, profile.derivation_key_index};
  iad.insert(iad.end(), v.begin(), v.end());
  iad.resize(16, 0x00);  // counters: not kept by this card
  Bytes atc;
  put_be16(atc, st.atc);
  const emv::TagLookup lookup = [&](emv::Tag tag) -> std::optional<ByteView> {
    if (tag == 0x82) return ByteView{profile.aip};
    if (tag == 0x9F36) return ByteView{atc};
    if (tag == 0x9F10) return ByteView{iad};
    auto it = terminal.find(tag);
    return it == terminal.end() ? std::nullopt : std::optional<ByteView>(it->second);
  };
  auto input = emv::ac_input(lookup);
  if (!input) return status(sw::kNoPreciseDiagnosis);  // the profile's CDOL1 was checked at load
  const emv::Cryptogram ac = emv::generate_ac(emv::derive_session_key(a.icc_master_key, st.atc), *input);

  if (first) {
    session_.first_ac = ac;
    session_.first_ac_type = type;
    session_.cdol1_data = c.data;
    if (type == kArqc) st.online_pending = true;
  }
  ++session_.gen_ac_count;
  const Byte cid = type;

  Bytes format1{cid};
  format1.insert(format1.end(), atc.begin(), atc.end());
  format1.insert(format1.end(), ac.begin(), ac.end());
  format1.insert(format1.end(), iad.begin(), iad.end());
  Bytes before, after;  // the format 2 objects around 9F26 / 9F4B
  emv::append_tlv(before, 0x9F27, ByteView{&cid, 1});
  emv::append_tlv(before, 0x9F36, atc);
  emv::append_tlv(after, 0x9F10, iad);
  if (!cda) {
    Bytes body = before;
    emv::append_tlv(body, 0x9F26, ac);
    body.insert(body.end(), after.begin(), after.end());
    return template_response(profile.response_format, body, format1);
  }

  // CDA (Book 2 6.6.1): the Transaction Data Hash Code covers the PDOL data, CDOL1
  // data, CDOL2 data (second GENERATE AC) and the response's objects but 9F4B.
  Bytes hashed = session_.pdol_data;
  hashed.insert(hashed.end(), session_.cdol1_data.begin(), session_.cdol1_data.end());
  if (!first) hashed.insert(hashed.end(), c.data.begin(), c.data.end());
  hashed.insert(hashed.end(), before.begin(), before.end());
  hashed.insert(hashed.end(), after.begin(), after.end());
  std::array<Byte, 8> number{};
  if (!random_(number)) return status(sw::kNoPreciseDiagnosis);
  auto dynamic = emv::cda_icc_dynamic_data(number, cid, ac, emv::sha1_digest(hashed));
  auto un = terminal.find(0x9F37);
  if (!dynamic || un == terminal.end()) return status(sw::kNoPreciseDiagnosis);
  auto sdad = emv::sign_dynamic_application_data(*a.icc_key, *dynamic, un->second);
  if (!sdad) return status(sw::kNoPreciseDiagnosis);
  Bytes body = before;
  emv::append_tlv(body, 0x9F4B, *sdad);
  body.insert(body.end(), after.begin(), after.end());
  return {emv::encode_tlv(0x77, body), kSwOk};  // CDA always answers in format 2
}

ResponseApdu VirtualCard::internal_authenticate(const CommandApdu& c) {
  if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kWrongP1P2);
  if (!adf_selected()) return status(sw::kConditionsNotSatisfied);
  if (!app().icc_key) return status(sw::kInsNotSupported);  // no ICC key: no DDA
  if (c.data.empty()) return status(sw::kWrongLength);
  std::array<Byte, 8> number{};
  if (!random_(number)) return status(sw::kNoPreciseDiagnosis);
  auto dynamic = emv::dda_icc_dynamic_data(number);
  if (!dynamic) return status(sw::kNoPreciseDiagnosis);
  auto sdad = emv::sign_dynamic_application_data(*app().icc_key, *dynamic, c.data);
  if (!sdad) return status(sw::kNoPreciseDiagnosis);
  session_.dda_performed = true;
  return template_response(app().profile.response_format, emv::encode_tlv(0x9F4B, *sdad), *sdad);
}

ResponseApdu VirtualCard::external_authenticate(const CommandApdu& c) {
  if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kWrongP1P2);
  if (!adf_selected() || app().profile.issuer_authentication != IssuerAuthentication::external_authenticate)
    return status(sw::kInsNotSupported);
  if (session_.gen_ac_count != 1 || session_.first_ac_type != kArqc || session_.issuer_auth_performed)
    return status(sw::kConditionsNotSatisfied);
  if (c.data.size() < 10 || c.data.size() > 16) return status(sw::kWrongLength);
  session_.issuer_auth_performed = true;
  session_.issuer_auth_failed = !issuer_arpc_valid(c.data);
  return status(session_.issuer_auth_failed ? sw::kAuthenticationFailed : kSwOk);
}

}  // namespace tender::icc::sim
