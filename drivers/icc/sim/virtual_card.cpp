// VirtualCard: creation, dispatch, T=0 emulation, selection and file access.
// GENERATE AC, INTERNAL / EXTERNAL AUTHENTICATE: virtual_card_ac.cpp.
// VERIFY and issuer script commands: virtual_card_pin.cpp.
#include "drivers/icc/sim/virtual_card.hpp"

#include <algorithm>

#include "drivers/icc/sim/sw.hpp"
#include "common/crypto/random.hpp"

namespace tender::icc::sim {

Result<VirtualCard> VirtualCard::create(const CardProfile& profile, const TestPki& pki, RandomSource random) {
  auto image = personalise(profile, pki);
  if (!image) return std::move(image).error();
  VirtualCard card;
  card.name_ = profile.name;
  card.atr_ = profile.atr;
  card.protocol_ = profile.protocol;
  card.image_ = std::move(*image);
  card.random_ = random ? std::move(random)
                        : RandomSource([](std::span<Byte> out) { return crypto::random_bytes(out).has_value(); });
  card.pin_ = profile.pin;
  card.pin_try_limit_ = profile.pin_try_limit;
  card.pin_try_counter_ = profile.pin_try_counter;
  for (const Application& a : profile.applications) {
    AppState s;
    s.atc = a.atc;
    s.last_online_atc = a.last_online_atc;
    s.blocked = a.blocked;
    card.persistent_.push_back(std::move(s));
  }
  return card;
}

void VirtualCard::reset() {
  selected_ = Selected::none;
  app_index_ = 0;
  last_partial_match_.reset();
  session_ = Session{};
  t0_pending_.reset();
}

Bytes VirtualCard::process(ByteView command) {
  if (protocol_ == Protocol::t0) return process_t0(command);
  auto c = parse_command(command);
  if (!c) return status(sw::kWrongLength).encode();
  return dispatch(*c).encode();
}

// T=0 (ISO/IEC 7816-3, EMV Book 1 9.3): a command with data cannot carry Le, so data
// comes back through GET RESPONSE after 61xx (or after the warning 62xx/63xx itself);
// a case 2 command whose P3 is not the exact length gets 6Cxx and is sent again.
Bytes VirtualCard::process_t0(ByteView command) {
  if (command.size() >= 4 && command[1] == ins::kGetResponse) {
    if (command[0] != 0x00) return status(sw::kClaNotSupported).encode();
    if (command[2] != 0 || command[3] != 0) return status(sw::kWrongP1P2).encode();
    if (!t0_pending_) return status(sw::kConditionsNotSatisfied).encode();
    const std::size_t le = command.size() >= 5 ? (command[4] == 0 ? 256 : command[4]) : 256;
    const std::size_t available = t0_pending_->data.size();
    if (le != available) return status(static_cast<StatusWord>(0x6C00 | (available & 0xFF))).encode();
    ResponseApdu r{std::move(t0_pending_->data), kSwOk};
    t0_pending_.reset();
    return r.encode();
  }
  t0_pending_.reset();
  auto c = parse_command(command);
  if (!c) return status(sw::kWrongLength).encode();
  const bool has_data = !c->data.empty();
  if (has_data) c->le.reset();  // a T=0 TPDU with data carries no Le
  ResponseApdu r = dispatch(*c);
  if (r.data.empty()) return r.encode();
  const std::size_t length = r.data.size();
  if (has_data) {
    const StatusWord sw = r.sw;
    t0_pending_ = ResponseApdu{std::move(r.data), kSwOk};
    if (sw != kSwOk) return status(sw).encode();  // warning: data follows by GET RESPONSE
    return status(static_cast<StatusWord>(0x6100 | (length & 0xFF))).encode();
  }
  const std::size_t le = c->le.value_or(256);
  if (le != length) return status(static_cast<StatusWord>(0x6C00 | (length & 0xFF))).encode();
  return r.encode();
}

ResponseApdu VirtualCard::dispatch(const CommandApdu& c) {
  switch (c.ins) {
    case ins::kSelect:
      return c.cla == 0x00 ? select(c) : status(sw::kClaNotSupported);
    case ins::kReadRecord:
      return c.cla == 0x00 ? read_record(c) : status(sw::kClaNotSupported);
    case ins::kGetProcessingOptions:
      return c.cla == 0x80 ? get_processing_options(c) : status(sw::kClaNotSupported);
    case ins::kGetData:
      return c.cla == 0x80 ? get_data(c) : status(sw::kClaNotSupported);
    case ins::kGetChallenge:
      return c.cla == 0x00 ? get_challenge(c) : status(sw::kClaNotSupported);
    case ins::kVerify:
      return c.cla == 0x00 ? verify(c) : status(sw::kClaNotSupported);
    case ins::kInternalAuthenticate:
      return c.cla == 0x00 ? internal_authenticate(c) : status(sw::kClaNotSupported);
    case ins::kGenerateAc:
      return c.cla == 0x80 ? generate_ac(c) : status(sw::kClaNotSupported);
    case ins::kExternalAuthenticate:
      return c.cla == 0x00 ? external_authenticate(c) : status(sw::kClaNotSupported);
    case ins::kApplicationBlock:
    case ins::kApplicationUnblock:
    case ins::kPinChangeUnblock:
      return c.cla == 0x84 ? issuer_script(c) : status(sw::kClaNotSupported);
    case ins::kPutData:
      return (c.cla == 0x84 || c.cla == 0x04) ? issuer_script(c) : status(sw::kClaNotSupported);
    default:
      return status(sw::kInsNotSupported);
  }
}

ResponseApdu VirtualCard::select(const CommandApdu& c) {
  if (c.p1 != 0x04 || (c.p2 != 0x00 && c.p2 != 0x02)) return status(sw::kWrongP1P2);
  if (c.data.empty() || c.data.size() > 16) return status(sw::kWrongLength);
  const ByteView name = c.data;
  if (std::equal(name.begin(), name.end(), as_bytes(kPseName).begin(), as_bytes(kPseName).end())) {
    if (image_.pse_fci.empty()) return status(sw::kFileNotFound);
    selected_ = Selected::pse;
    session_ = Session{};
    last_partial_match_.reset();
    return {image_.pse_fci, kSwOk};
  }
  // First (P2 = 00) or next (P2 = 02) application whose AID begins with the name.
  std::size_t start = 0;
  if (c.p2 == 0x02 && last_partial_match_) start = *last_partial_match_ + 1;
  for (std::size_t i = start; i < image_.apps.size(); ++i) {
    const Bytes& aid = image_.apps[i].profile.aid;
    if (name.size() > aid.size() || !std::equal(name.begin(), name.end(), aid.begin())) continue;
    selected_ = Selected::adf;
    app_index_ = i;
    last_partial_match_ = i;
    session_ = Session{};
    return {image_.apps[i].fci, persistent_[i].blocked ? sw::kSelectedFileInvalidated : kSwOk};
  }
  return status(sw::kFileNotFound);
}

ResponseApdu VirtualCard::read_record(const CommandApdu& c) {
  if (c.p1 == 0 || (c.p2 & 0x07) != 0x04) return status(sw::kWrongP1P2);
  const Byte sfi = static_cast<Byte>(c.p2 >> 3);
  if (sfi == 0 || sfi > 30) return status(sw::kWrongP1P2);
  if (selected_ == Selected::pse) {
    auto it = image_.pse_records.find(c.p1);
    if (sfi != image_.pse_sfi || it == image_.pse_records.end()) return status(sw::kRecordNotFound);
    return {it->second, kSwOk};
  }
  if (!adf_selected()) return status(sw::kConditionsNotSatisfied);
  auto it = app().records.find({sfi, c.p1});
  if (it == app().records.end()) return status(sw::kRecordNotFound);
  return {it->second, kSwOk};
}

ResponseApdu VirtualCard::get_processing_options(const CommandApdu& c) {
  if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kWrongP1P2);
  if (!adf_selected() || state().blocked || session_.gpo_done) return status(sw::kConditionsNotSatisfied);
  // Command data: template 83 holding the PDOL data (83 00 without a PDOL).
  if (c.data.size() < 2 || c.data[0] != 0x83 || c.data[1] != c.data.size() - 2) return status(sw::kWrongData);
  const ByteView pdol_data = ByteView{c.data}.subspan(2);
  if (pdol_data.size() != emv::dol_data_length(app().pdol)) return status(sw::kWrongLength);
  session_.gpo_done = true;
  session_.previous_online_incomplete = state().online_pending;
  session_.pdol_data.assign(pdol_data.begin(), pdol_data.end());

  const Application& a = app().profile;
  Bytes afl;
  for (const AflEntry& e : a.afl) afl.insert(afl.end(), {static_cast<Byte>(e.sfi << 3), e.first, e.last, e.oda_records});
  if (a.gpo_format == ResponseFormat::format1) {
    Bytes value(a.aip.begin(), a.aip.end());
    value.insert(value.end(), afl.begin(), afl.end());
    return {emv::encode_tlv(0x80, value), kSwOk};
  }
  Bytes body;
  emv::append_tlv(body, 0x82, a.aip);
  emv::append_tlv(body, 0x94, afl);
  return {emv::encode_tlv(0x77, body), kSwOk};
}

ResponseApdu VirtualCard::get_data(const CommandApdu& c) {
  if (!adf_selected()) return status(sw::kConditionsNotSatisfied);
  const emv::Tag tag = static_cast<emv::Tag>((c.p1 << 8) | c.p2);
  Bytes value;
  switch (tag) {
    case 0x9F36: value = {static_cast<Byte>(state().atc >> 8), static_cast<Byte>(state().atc & 0xFF)}; break;
    case 0x9F13:
      value = {static_cast<Byte>(state().last_online_atc >> 8), static_cast<Byte>(state().last_online_atc & 0xFF)};
      break;
    case 0x9F17: value = {pin_try_counter_}; break;
    default: {
      auto written = state().put_data.find(tag);
      if (written != state().put_data.end()) {
        value = written->second;
      } else if (auto log = app().profile.data.find(tag); tag == 0x9F4F && log != app().profile.data.end()) {
        value = log->second;
      } else {
        return status(sw::kReferencedDataNotFound);
      }
    }
  }
  return {emv::encode_tlv(tag, value), kSwOk};
}

ResponseApdu VirtualCard::get_challenge(const CommandApdu& c) {
  if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kWrongP1P2);
  if (!c.data.empty()) return status(sw::kWrongLength);
  std::array<Byte, 8> challenge{};
  if (!random_(challenge)) return status(sw::kNoPreciseDiagnosis);
  session_.challenge = challenge;
  return {Bytes(challenge.begin(), challenge.end()), kSwOk};
}

}  // namespace tender::icc::sim
