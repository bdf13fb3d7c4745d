#include "emv/tal.hpp"

#include <array>
#include <string>

#include "common/secure_zero.hpp"
#include "emv/tlv_view.hpp"

namespace tender::emv {
namespace {

using icc::CommandApdu;
using icc::StatusWord;

struct SwRule {
  bool any_command;
  TalCommand command;
  StatusWord sw;
  StatusWord mask;
  SwMeaning meaning;
};

// Book 3 Table 14 and section 6.5, Book 1 11.3.5 (SELECT), 10.10 (scripts).
constexpr SwRule kSwRules[] = {
    {true, TalCommand::select, 0x9000, 0xFFFF, SwMeaning::ok},
    {false, TalCommand::select, 0x6283, 0xFFFF, SwMeaning::selected_file_invalidated},
    {false, TalCommand::select, 0x6A81, 0xFFFF, SwMeaning::function_not_supported},
    {false, TalCommand::select, 0x6A82, 0xFFFF, SwMeaning::file_not_found},
    {false, TalCommand::read_record, 0x6A83, 0xFFFF, SwMeaning::record_not_found},
    {false, TalCommand::get_processing_options, 0x6985, 0xFFFF,
     SwMeaning::conditions_of_use_not_satisfied},
    {false, TalCommand::get_data, 0x6A88, 0xFFFF, SwMeaning::referenced_data_not_found},
    {false, TalCommand::verify, 0x63C0, 0xFFF0, SwMeaning::pin_tries_remaining},
    {false, TalCommand::verify, 0x6983, 0xFFFF, SwMeaning::authentication_method_blocked},
    {false, TalCommand::verify, 0x6984, 0xFFFF, SwMeaning::reference_data_invalidated},
    {false, TalCommand::external_authenticate, 0x6300, 0xFFFF, SwMeaning::authentication_failed},
    {false, TalCommand::issuer_script, 0x6200, 0xFF00, SwMeaning::warning},
    {false, TalCommand::issuer_script, 0x6300, 0xFF00, SwMeaning::warning},
};

constexpr std::array<std::string_view, 10> kCommandNames = {
    "SELECT",  "READ RECORD", "GET PROCESSING OPTIONS", "GET DATA", "GET CHALLENGE",
    "INTERNAL AUTHENTICATE", "VERIFY", "GENERATE AC", "EXTERNAL AUTHENTICATE",
    "issuer script command"};

Result<CardResponse> send(Ttl& ttl, TalCommand command, CommandApdu apdu) {
  auto response = ttl.transceive(apdu);
  secure_zero(apdu.data.data(), apdu.data.size());
  if (!response) {
    return make_error(response.error().code,
                      std::string(name(command)) + ": " + response.error().message);
  }
  return CardResponse{classify(command, response->sw), response->sw, std::move(response->data)};
}

Error malformed(std::string_view what) { return make_error(Errc::malformed, std::string(what)); }

// A response that must be exactly one data object (padding aside), well formed at
// every level, read in one walk (tlv_view.hpp): these parsers run on every card
// response, so they build no tree and read each header once. `inside` sees every
// object below the response's object, with its parent; what it collects is used only
// once the whole response has proved well formed and single.
template <typename Inside>
Result<TlvObject> one_object(ByteView response, std::string_view what, Inside&& inside) {
  auto single = walk_single(response, inside);
  if (!single) return make_error(single.error().code, std::string(what) + ": " + single.error().message);
  if (!*single) return malformed(std::string(what) + " is not a single data object");
  return **single;
}

Result<TlvObject> one_object(ByteView response, std::string_view what) {
  return one_object(response, what, [](const TlvObject&, TlvParent, const TlvObject&) {});
}

void add_primitive(std::vector<DataObject>& out, const TlvObject& object) {
  if (!object.constructed()) out.push_back(DataObject{object.tag, Bytes(object.value.begin(), object.value.end())});
}

Result<std::optional<Byte>> one_byte(const std::optional<TlvObject>& object, Tag tag) {
  if (!object) return std::optional<Byte>{};
  if (object->value.size() != 1) return malformed("FCI " + tag_to_hex(tag) + " is not one byte");
  return std::optional<Byte>{object->value[0]};
}

Bytes value_of(const std::optional<TlvObject>& object) {
  return object ? Bytes(object->value.begin(), object->value.end()) : Bytes{};
}

}  // namespace

const TlvNode* find_child(const TlvNode& node, Tag tag) {
  for (const TlvNode& c : node.children)
    if (c.tag == tag) return &c;
  return nullptr;
}

std::string_view name(TalCommand command) noexcept {
  return kCommandNames[static_cast<std::size_t>(command)];
}

std::string_view name(CryptogramType type) noexcept {
  switch (type) {
    case CryptogramType::aac:
      return "AAC";
    case CryptogramType::tc:
      return "TC";
    case CryptogramType::arqc:
      return "ARQC";
  }
  return "RFU";
}

SwMeaning classify(TalCommand command, StatusWord sw) noexcept {
  for (const SwRule& rule : kSwRules) {
    if ((rule.any_command || rule.command == command) && (sw & rule.mask) == rule.sw) {
      return rule.meaning;
    }
  }
  return SwMeaning::error;
}

Result<CardResponse> select(Ttl& ttl, ByteView df_name, SelectOccurrence occurrence) {
  // Book 1 11.3.2: a DF name is 5 to 16 bytes (1PAY.SYS.DDF01 is 14).
  if (df_name.size() < 5 || df_name.size() > 16) {
    return make_error(Errc::invalid_argument, "SELECT: DF name must be 5 to 16 bytes");
  }
  return send(ttl, TalCommand::select,
              CommandApdu{0x00, 0xA4, 0x04, static_cast<Byte>(occurrence),
                          Bytes(df_name.begin(), df_name.end()), 256});
}

Result<CardResponse> read_record(Ttl& ttl, Byte sfi, Byte record) {
  if (sfi == 0 || sfi > 30 || record == 0) {
    return make_error(Errc::invalid_argument, "READ RECORD: SFI must be 1..30 and record 1..255");
  }
  return send(ttl, TalCommand::read_record,
              CommandApdu{0x00, 0xB2, record, static_cast<Byte>((sfi << 3) | 0x04), {}, 256});
}

Result<CardResponse> get_processing_options(Ttl& ttl, ByteView pdol_data) {
  Bytes data;
  append_tlv(data, 0x83, pdol_data);
  if (data.size() > 255) {
    return make_error(Errc::invalid_argument, "GET PROCESSING OPTIONS: PDOL data over 252 bytes");
  }
  return send(ttl, TalCommand::get_processing_options,
              CommandApdu{0x80, 0xA8, 0x00, 0x00, std::move(data), 256});
}

Result<CardResponse> get_data(Ttl& ttl, Tag tag) {
  return send(ttl, TalCommand::get_data,
              CommandApdu{0x80, 0xCA, static_cast<Byte>((tag >> 8) & 0xFF),
                          static_cast<Byte>(tag & 0xFF), {}, 256});
}

Result<CardResponse> get_challenge(Ttl& ttl) {
  return send(ttl, TalCommand::get_challenge, CommandApdu{0x00, 0x84, 0x00, 0x00, {}, 256});
}

Result<CardResponse> internal_authenticate(Ttl& ttl, ByteView ddol_data) {
  if (ddol_data.empty() || ddol_data.size() > 255) {
    return make_error(Errc::invalid_argument, "INTERNAL AUTHENTICATE: DDOL data must be 1..255 bytes");
  }
  return send(ttl, TalCommand::internal_authenticate,
              CommandApdu{0x00, 0x88, 0x00, 0x00, Bytes(ddol_data.begin(), ddol_data.end()), 256});
}

Result<CardResponse> verify(Ttl& ttl, PinQualifier qualifier, ByteView pin_data) {
  if (pin_data.empty() || pin_data.size() > 255) {
    return make_error(Errc::invalid_argument, "VERIFY: PIN data must be 1..255 bytes");
  }
  return send(ttl, TalCommand::verify,
              CommandApdu{0x00, 0x20, 0x00, static_cast<Byte>(qualifier),
                          Bytes(pin_data.begin(), pin_data.end()), std::nullopt});
}

Result<CardResponse> generate_ac(Ttl& ttl, CryptogramType type, bool cda_requested,
                                 ByteView cdol_data) {
  if (cdol_data.size() > 255) {
    return make_error(Errc::invalid_argument, "GENERATE AC: CDOL data over 255 bytes");
  }
  const auto p1 = static_cast<Byte>(static_cast<Byte>(type) | (cda_requested ? 0x10 : 0x00));
  return send(ttl, TalCommand::generate_ac,
              CommandApdu{0x80, 0xAE, p1, 0x00, Bytes(cdol_data.begin(), cdol_data.end()), 256});
}

Result<CardResponse> external_authenticate(Ttl& ttl, ByteView issuer_authentication_data) {
  // Book 3 6.5.4: 8 to 16 bytes.
  if (issuer_authentication_data.size() < 8 || issuer_authentication_data.size() > 16) {
    return make_error(Errc::invalid_argument, "EXTERNAL AUTHENTICATE: data must be 8..16 bytes");
  }
  return send(ttl, TalCommand::external_authenticate,
              CommandApdu{0x00, 0x82, 0x00, 0x00,
                          Bytes(issuer_authentication_data.begin(), issuer_authentication_data.end()),
                          std::nullopt});
}

Result<CardResponse> issuer_script_command(Ttl& ttl, ByteView command_apdu) {
  auto apdu = icc::parse_command(command_apdu);
  if (!apdu) return make_error(Errc::malformed, "issuer script command: " + apdu.error().message);
  return send(ttl, TalCommand::issuer_script, std::move(*apdu));
}

Result<Fci> parse_fci(ByteView response) {
  FirstOf<2> fci_fields{{0x84, 0xA5}};
  FirstOf<8> proprietary{{0x88, 0x87, 0x9F11, 0x50, 0x9F38, 0x5F2D, 0x9F12, 0xBF0C}};
  auto fci = one_object(response, "FCI", [&](const TlvObject& object, TlvParent parent, const TlvObject& top) {
    if (parent.is(top)) {
      fci_fields.offer(object);
    } else if (const auto& a5 = fci_fields[0xA5]; a5 && parent.is(*a5)) {
      proprietary.offer(object);
    }
  });
  if (!fci) return std::move(fci).error();
  if (fci->tag != 0x6F) return malformed("FCI is not a '6F' template");
  const auto& df_name = fci_fields[0x84];
  if (!df_name || !fci_fields[0xA5]) return malformed("FCI lacks 84 or A5");
  Fci out;
  out.df_name.assign(df_name->value.begin(), df_name->value.end());
  auto sfi = one_byte(proprietary[0x88], 0x88);
  auto priority = one_byte(proprietary[0x87], 0x87);
  auto code_table = one_byte(proprietary[0x9F11], 0x9F11);
  if (!sfi) return std::move(sfi).error();
  if (!priority) return std::move(priority).error();
  if (!code_table) return std::move(code_table).error();
  out.sfi = *sfi;
  out.priority = *priority;
  out.issuer_code_table_index = *code_table;
  out.label = value_of(proprietary[0x50]);
  out.pdol = value_of(proprietary[0x9F38]);
  out.language_preference = value_of(proprietary[0x5F2D]);
  out.preferred_name = value_of(proprietary[0x9F12]);
  out.discretionary = value_of(proprietary[0xBF0C]);
  return out;
}

Result<ProcessingOptions> parse_processing_options(ByteView response) {
  FirstOf<2> fields{{0x82, 0x94}};
  ProcessingOptions out;
  auto one = one_object(response, "GPO response", [&](const TlvObject& object, TlvParent parent, const TlvObject& top) {
    if (!parent.is(top)) return;
    fields.offer(object);
    add_primitive(out.objects, object);
  });
  if (!one) return std::move(one).error();
  const TlvObject& node = *one;
  if (node.tag == 0x80) {
    // Format 1: AIP (2) | AFL (4n).
    if (node.value.size() < 2) return malformed("GPO format 1 response shorter than the AIP");
    out.aip.assign(node.value.begin(), node.value.begin() + 2);
    out.afl.assign(node.value.begin() + 2, node.value.end());
    out.objects = {DataObject{0x82, out.aip}, DataObject{0x94, out.afl}};
  } else if (node.tag == 0x77) {
    const auto& aip = fields[0x82];
    const auto& afl = fields[0x94];
    if (!aip || !afl) return malformed("GPO format 2 response lacks 82 or 94");
    out.aip.assign(aip->value.begin(), aip->value.end());
    out.afl.assign(afl->value.begin(), afl->value.end());
  } else {
    return malformed("GPO response is neither '80' nor '77'");
  }
  if (out.aip.size() != 2) return malformed("AIP is not 2 bytes");
  if (out.afl.size() % 4 != 0) return malformed("AFL length is not a multiple of 4");
  return out;
}

Result<GenerateAcResponse> parse_generate_ac_response(ByteView response) {
  FirstOf<5> fields{{0x9F27, 0x9F36, 0x9F26, 0x9F10, 0x9F4B}};
  GenerateAcResponse out;
  auto one = one_object(response, "GENERATE AC response",
                        [&](const TlvObject& object, TlvParent parent, const TlvObject& top) {
                          if (!parent.is(top)) return;
                          fields.offer(object);
                          add_primitive(out.objects, object);
                          // What CDA hashes: the template's objects but the SDAD, each as
                          // the card encoded it (its own, possibly non-minimal, length form).
                          if (object.tag != 0x9F4B) {
                            const ByteView encoding = object.encoding();
                            out.objects_except_sdad.insert(out.objects_except_sdad.end(), encoding.begin(),
                                                           encoding.end());
                          }
                        });
  if (!one) return std::move(one).error();
  const TlvObject& node = *one;
  if (node.tag == 0x80) {
    // Format 1: CID (1) | ATC (2) | AC (8) | IAD (0..32).
    const ByteView v = node.value;
    if (v.size() < 11 || v.size() > 43) return malformed("GENERATE AC format 1 has a bad length");
    out.cid = v[0];
    out.atc.assign(v.begin() + 1, v.begin() + 3);
    out.ac.assign(v.begin() + 3, v.begin() + 11);
    out.iad.assign(v.begin() + 11, v.end());
    out.objects = {DataObject{0x9F27, Bytes{out.cid}}, DataObject{0x9F36, out.atc},
                   DataObject{0x9F26, out.ac}};
    if (!out.iad.empty()) out.objects.push_back(DataObject{0x9F10, out.iad});
    return out;
  }
  if (node.tag != 0x77) return malformed("GENERATE AC response is neither '80' nor '77'");
  out.format2 = true;
  const auto& cid = fields[0x9F27];
  const auto& atc = fields[0x9F36];
  if (!cid || cid->value.size() != 1) return malformed("GENERATE AC: 9F27 missing or not 1 byte");
  if (!atc || atc->value.size() != 2) return malformed("GENERATE AC: 9F36 missing or not 2 bytes");
  out.cid = cid->value[0];
  out.atc.assign(atc->value.begin(), atc->value.end());
  out.ac = value_of(fields[0x9F26]);
  out.iad = value_of(fields[0x9F10]);
  out.sdad = value_of(fields[0x9F4B]);
  if (!out.ac.empty() && out.ac.size() != 8) return malformed("GENERATE AC: 9F26 is not 8 bytes");
  if (out.ac.empty() && out.sdad.empty()) return malformed("GENERATE AC: neither 9F26 nor 9F4B");
  if (out.iad.size() > 32) return malformed("GENERATE AC: 9F10 over 32 bytes");
  return out;
}

Result<Bytes> parse_internal_authenticate_response(ByteView response) {
  FirstOf<1> sdad{{0x9F4B}};
  auto one = one_object(response, "INTERNAL AUTHENTICATE response",
                        [&](const TlvObject& object, TlvParent parent, const TlvObject& top) {
                          if (parent.is(top)) sdad.offer(object);
                        });
  if (!one) return std::move(one).error();
  const TlvObject& node = *one;
  if (node.tag == 0x80) return Bytes(node.value.begin(), node.value.end());
  if (node.tag == 0x77) {
    if (const auto& found = sdad[0x9F4B]) return Bytes(found->value.begin(), found->value.end());
    return malformed("INTERNAL AUTHENTICATE format 2 response lacks 9F4B");
  }
  return malformed("INTERNAL AUTHENTICATE response is neither '80' nor '77'");
}

Result<Bytes> parse_get_data_response(ByteView response, Tag tag) {
  auto one = one_object(response, "GET DATA response");
  if (!one) return std::move(one).error();
  if (one->tag != tag || one->constructed()) {
    return malformed("GET DATA response is not the requested " + tag_to_hex(tag));
  }
  return Bytes(one->value.begin(), one->value.end());
}

}  // namespace tender::emv
