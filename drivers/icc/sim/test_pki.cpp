#include "drivers/icc/sim/test_pki.hpp"

#include "drivers/icc/sim/json_fields.hpp"

namespace tender::icc::sim {
namespace {

Result<SecretBytes> secret_hex(JsonObject& o, std::string_view key) {
  auto v = o.hex(key, 1, 512);
  if (!v) return std::move(v).error();
  return SecretBytes::take(*v);
}

Result<PkiKey> read_key(const Json& value, std::string path) {
  auto o = JsonObject::of(value, std::move(path));
  if (!o) return std::move(o).error();
  PkiKey k;
  auto name = o->text("name", 1, 64);
  if (!name) return std::move(name).error();
  k.name = std::move(*name);
  auto role = o->choice("role", {"ca", "issuer", "icc"});
  if (!role) return std::move(role).error();
  k.role = *role == "ca" ? PkiRole::ca : *role == "issuer" ? PkiRole::issuer : PkiRole::icc;
  auto bits = o->integer("bits", 512, 1984);
  if (!bits) return std::move(bits).error();
  if (k.role == PkiRole::ca) {
    auto rid = o->hex("rid", 5, 5);
    if (!rid) return std::move(rid).error();
    k.rid = std::move(*rid);
    auto index = o->hex("index", 1, 1);
    if (!index) return std::move(index).error();
    k.index = (*index)[0];
    auto description = o->text("description", 0, 200);
    if (!description) return std::move(description).error();
    k.description = std::move(*description);
    auto expiry = o->hex("expiry", 3, 3);
    if (!expiry) return std::move(expiry).error();
  }
  auto n = o->hex("n", 64, 248);
  if (!n) return std::move(n).error();
  if (n->size() * 8 != static_cast<std::size_t>(*bits))
    return field_error(Errc::malformed, o->field("n"), "does not have the stated number of bits");
  k.key.modulus = std::move(*n);
  auto e = o->hex("e", 1, 3);
  if (!e) return std::move(e).error();
  k.key.exponent = std::move(*e);
  for (auto [field, target] : {std::pair{"d", &k.key.d}, std::pair{"p", &k.key.p}, std::pair{"q", &k.key.q},
                               std::pair{"dp", &k.key.dp}, std::pair{"dq", &k.key.dq},
                               std::pair{"qinv", &k.key.qinv}}) {
    auto v = secret_hex(*o, field);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }
  if (auto f = o->finish(); !f) return std::move(f).error();
  if (auto c = emv::check_signing_key(k.key); !c)
    return field_error(Errc::crypto_error, o->path(), "is not a consistent RSA key");
  return k;
}

}  // namespace

Result<TestPki> TestPki::parse(std::string_view json_text) {
  auto json = parse_json(json_text, "test PKI");
  if (!json) return std::move(json).error();
  auto o = JsonObject::of(*json, "");
  if (!o) return field_error(Errc::malformed, "test PKI", "must be a JSON object");
  auto note = o->optional_text("note");
  if (!note) return std::move(note).error();
  auto keys = json_array(o->get("keys"), "keys");
  if (!keys) return std::move(keys).error();
  TestPki pki;
  for (std::size_t i = 0; i < (*keys)->size(); ++i) {
    auto k = read_key((**keys)[i], "keys[" + std::to_string(i) + "]");
    if (!k) return std::move(k).error();
    if (pki.find(k->name)) return field_error(Errc::malformed, "keys[" + std::to_string(i) + "].name", "is a duplicate");
    pki.keys_.push_back(std::move(*k));
  }
  if (auto f = o->finish(); !f) return std::move(f).error();
  return pki;
}

Result<void> TestPki::add(PkiKey key) {
  if (key.name.empty() || find(key.name) != nullptr)
    return make_error(Errc::invalid_argument, "test PKI: key name \"" + key.name + "\" is empty or taken");
  if (key.role == PkiRole::ca && key.rid.size() != 5)
    return make_error(Errc::invalid_argument, "test PKI: CA key " + key.name + " needs a 5-byte RID");
  if (auto c = emv::check_signing_key(key.key); !c)
    return make_error(Errc::crypto_error, "test PKI: key " + key.name + " is not a consistent RSA key");
  keys_.push_back(std::move(key));
  return ok();
}

const PkiKey* TestPki::find(std::string_view name) const {
  for (const PkiKey& k : keys_)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace tender::icc::sim
