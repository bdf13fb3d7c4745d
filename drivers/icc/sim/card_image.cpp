#include "drivers/icc/sim/card_image.hpp"

#include "drivers/icc/sim/json_fields.hpp"

namespace tender::icc::sim {
namespace {

using emv::Tag;

std::string app_field(std::size_t index, std::string_view field) {
  return "applications[" + std::to_string(index) + "]." + std::string(field);
}

Result<const PkiKey*> find_key(const TestPki& pki, const std::string& name, PkiRole role, const std::string& field) {
  const PkiKey* key = pki.find(name);
  if (!key) return field_error(Errc::not_found, field, "names no key of the test PKI");
  if (key->role != role) return field_error(Errc::malformed, field, "names a key of another role");
  return key;
}

Bytes record_from_tags(const RecordSpec& spec, const std::map<Tag, Bytes>& values) {
  Bytes body;
  for (Tag t : spec.tags) {
    auto it = values.find(t);
    if (it == values.end() || it->second.empty()) continue;  // an empty remainder is left out
    emv::append_tlv(body, t, it->second);
  }
  return emv::encode_tlv(0x70, body);
}

std::map<std::pair<Byte, Byte>, Bytes> build_records(const Application& app, const std::map<Tag, Bytes>& values) {
  std::map<std::pair<Byte, Byte>, Bytes> out;
  for (const RecordSpec& spec : app.records)
    out[{spec.sfi, spec.number}] = spec.raw ? *spec.raw : record_from_tags(spec, values);
  return out;
}

Bytes adf_fci(const Application& app) {
  Bytes prop;
  emv::append_tlv(prop, 0x50, as_bytes(app.label));
  if (app.priority != 0 || app.confirmation_required) {
    const Byte indicator = static_cast<Byte>((app.confirmation_required ? 0x80 : 0x00) | app.priority);
    emv::append_tlv(prop, 0x87, ByteView{&indicator, 1});
  }
  if (!app.pdol.empty()) emv::append_tlv(prop, 0x9F38, app.pdol);
  if (app.language) emv::append_tlv(prop, 0x5F2D, as_bytes(*app.language));
  if (app.preferred_name) emv::append_tlv(prop, 0x9F12, as_bytes(*app.preferred_name));
  // FCI Issuer Discretionary Data: the Issuer Identification Number (first 6 PAN digits).
  Bytes discretionary;
  Bytes iin(3);
  for (std::size_t i = 0; i < 3; ++i)
    iin[i] = static_cast<Byte>(((app.pan[2 * i] - '0') << 4) | (app.pan[2 * i + 1] - '0'));
  emv::append_tlv(discretionary, 0x42, iin);
  emv::append_tlv(prop, 0xBF0C, discretionary);
  Bytes fci;
  emv::append_tlv(fci, 0x84, app.aid);
  emv::append_tlv(fci, 0xA5, prop);
  return emv::encode_tlv(0x6F, fci);
}

void build_pse(const CardProfile& profile, CardImage& image) {
  Bytes prop;
  const Byte sfi = profile.pse_sfi;
  image.pse_sfi = sfi;
  emv::append_tlv(prop, 0x88, ByteView{&sfi, 1});
  if (profile.applications.front().language) emv::append_tlv(prop, 0x5F2D, as_bytes(*profile.applications.front().language));
  Bytes fci;
  emv::append_tlv(fci, 0x84, as_bytes(kPseName));
  emv::append_tlv(fci, 0xA5, prop);
  image.pse_fci = emv::encode_tlv(0x6F, fci);
  Byte number = 1;
  for (const Application& app : profile.applications) {
    Bytes entry;
    emv::append_tlv(entry, 0x4F, app.aid);
    emv::append_tlv(entry, 0x50, as_bytes(app.label));
    if (app.preferred_name) emv::append_tlv(entry, 0x9F12, as_bytes(*app.preferred_name));
    if (app.priority != 0 || app.confirmation_required) {
      const Byte indicator = static_cast<Byte>((app.confirmation_required ? 0x80 : 0x00) | app.priority);
      emv::append_tlv(entry, 0x87, ByteView{&indicator, 1});
    }
    image.pse_records[number++] = emv::encode_tlv(0x70, emv::encode_tlv(0x61, entry));
  }
}

// Computes the ODA data elements into `values` and the records into `app`.
Result<void> sign_static_data(std::size_t index, const TestPki& pki, AppImage& app, std::map<Tag, Bytes>& values) {
  const Application& a = app.profile;
  const OdaConfig& oda = a.oda;
  auto ca = find_key(pki, oda.ca_key, PkiRole::ca, app_field(index, "oda.ca_key"));
  if (!ca) return std::move(ca).error();
  if (!std::equal((*ca)->rid.begin(), (*ca)->rid.end(), a.aid.begin()))
    return field_error(Errc::malformed, app_field(index, "oda.ca_key"), "belongs to another RID than the AID's");
  auto issuer = find_key(pki, oda.issuer_key, PkiRole::issuer, app_field(index, "oda.issuer_key"));
  if (!issuer) return std::move(issuer).error();

  const emv::CertificateFields issuer_fields{std::string_view(a.pan).substr(0, 6), oda.certificate_expiry, {0x00, 0x00, 0x01}};
  auto issuer_cert = emv::sign_issuer_certificate((*ca)->key, (*issuer)->key.public_key(), issuer_fields);
  if (!issuer_cert) return field_error(issuer_cert.error().code, app_field(index, "oda.issuer_key"), issuer_cert.error().message);
  values[0x8F] = Bytes{(*ca)->index};
  values[0x90] = issuer_cert->certificate;
  values[0x92] = issuer_cert->remainder;
  values[0x9F32] = issuer_cert->exponent;

  const PkiKey* icc = nullptr;
  std::optional<emv::PublicKeyCertificate> icc_cert;
  if (oda.method == OdaMethod::dda || oda.method == OdaMethod::cda) {
    auto k = find_key(pki, oda.icc_key, PkiRole::icc, app_field(index, "oda.icc_key"));
    if (!k) return std::move(k).error();
    icc = *k;
    app.icc_key = icc->key;
    // Known before the certificate: the remainder and exponent (ODA records may hold them).
    const std::size_t field = (*issuer)->key.modulus.size() - 42;
    const Bytes& n = icc->key.modulus;
    values[0x9F48] = n.size() > field ? Bytes(n.begin() + static_cast<std::ptrdiff_t>(field), n.end()) : Bytes{};
    values[0x9F47] = icc->key.exponent;
  }
  auto static_data = static_data_to_authenticate(a.afl, build_records(a, values), a.data, a.aip);
  if (!static_data) return field_error(static_data.error().code, app_field(index, "data.9F4A"), static_data.error().message);
  app.static_data = std::move(*static_data);

  if (icc) {
    const emv::CertificateFields fields{a.pan, oda.certificate_expiry, {0x00, 0x00, 0x02}};
    auto cert = emv::sign_icc_certificate((*issuer)->key, icc->key.public_key(), fields, app.static_data);
    if (!cert) return field_error(cert.error().code, app_field(index, "oda.icc_key"), cert.error().message);
    values[0x9F46] = cert->certificate;
  } else {
    auto ssad = emv::sign_static_application_data((*issuer)->key, oda.data_authentication_code, app.static_data);
    if (!ssad) return field_error(ssad.error().code, app_field(index, "oda.issuer_key"), ssad.error().message);
    values[0x93] = std::move(*ssad);
  }
  return ok();
}

}  // namespace

Result<Bytes> static_data_to_authenticate(const std::vector<AflEntry>& afl,
                                          const std::map<std::pair<Byte, Byte>, Bytes>& records,
                                          const std::map<Tag, Bytes>& data, std::array<Byte, 2> aip) {
  Bytes out;
  for (const AflEntry& e : afl) {
    for (int n = e.first; n < e.first + e.oda_records; ++n) {
      auto it = records.find({e.sfi, static_cast<Byte>(n)});
      if (it == records.end()) return make_error(Errc::not_found, "an ODA record is missing");
      if (e.sfi > 10) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        continue;
      }
      auto nodes = emv::decode(it->second);
      if (!nodes || nodes->size() != 1 || (*nodes)[0].tag != 0x70)
        return make_error(Errc::malformed, "an ODA record is not one template 70");
      out.insert(out.end(), (*nodes)[0].value.begin(), (*nodes)[0].value.end());
    }
  }
  auto list = data.find(0x9F4A);
  if (list != data.end()) {
    ByteView in = list->second;
    while (!in.empty()) {
      auto tag = emv::read_tag(in);
      if (!tag || *tag != 0x82) return make_error(Errc::malformed, "the static data authentication tag list may hold only 82");
      out.insert(out.end(), aip.begin(), aip.end());
    }
  }
  return out;
}

Result<CardImage> personalise(const CardProfile& profile, const TestPki& pki) {
  CardImage image;
  if (profile.pse) build_pse(profile, image);
  for (std::size_t i = 0; i < profile.applications.size(); ++i) {
    AppImage app;
    app.profile = profile.applications[i];
    const Application& a = app.profile;
    auto mk = emv::derive_icc_master_key(a.imk_ac, a.pan, a.pan_sequence_number);
    if (!mk) return field_error(mk.error().code, app_field(i, "pan"), mk.error().message);
    app.icc_master_key = *mk;
    app.fci = adf_fci(a);
    // DOLs were validated when the profile was parsed.
    app.pdol = emv::parse_dol(a.pdol).value_or(std::vector<emv::DolEntry>{});
    app.cdol1 = emv::parse_dol(a.cdol1).value_or(std::vector<emv::DolEntry>{});
    app.cdol2 = emv::parse_dol(a.cdol2).value_or(std::vector<emv::DolEntry>{});

    std::map<Tag, Bytes> values = a.data;
    if (a.oda.method != OdaMethod::none) {
      if (auto r = sign_static_data(i, pki, app, values); !r) return std::move(r).error();
    } else {
      auto static_data = static_data_to_authenticate(a.afl, build_records(a, values), a.data, a.aip);
      if (!static_data) return field_error(static_data.error().code, app_field(i, "data.9F4A"), static_data.error().message);
      app.static_data = std::move(*static_data);
    }
    app.records = build_records(a, values);
    for (const auto& [key, record] : app.records)
      if (record.size() > 256)
        return field_error(Errc::out_of_range, app_field(i, "records"),
                           "record " + std::to_string(key.second) + " of SFI " + std::to_string(key.first) +
                               " is longer than a READ RECORD response can carry");
    image.apps.push_back(std::move(app));
  }
  return image;
}

}  // namespace tender::icc::sim
