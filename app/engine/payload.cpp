#include "app/engine/payload.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "common/crypto/hash.hpp"
#include "common/crypto/random.hpp"
#include "common/secure_zero.hpp"

namespace tender::app {
namespace {

using Json = nlohmann::json;
namespace host = net::host;

constexpr int kVersion = 1;

void wipe(std::string& text) {
  secure_zero(text.data(), text.size());
  text.clear();
}

std::string secret_text(const Json& j, const char* key) { return j.value(key, std::string{}); }

std::string uuid_from(std::array<Byte, 16> b) {
  b[6] = static_cast<Byte>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<Byte>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = to_hex(ByteView{b.data(), b.size()});
  std::string out;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i])));
  }
  return out;
}

}  // namespace

SecretBytes encode_payload(const host::AuthorizationRequest& r) {
  Json j{{"v", kVersion},
         {"amount", r.amount.minor_units()},
         {"entry_mode", static_cast<int>(r.entry_mode)},
         {"allow_partial", r.allow_partial},
         {"pan", std::string(r.card.pan.reveal())},
         {"expiry", std::string(r.card.expiry_yymm.reveal())},
         {"cvc", std::string(r.card.cvc.reveal())},
         {"track1", std::string(r.card.track1.reveal())},
         {"track2", std::string(r.card.track2.reveal())},
         {"name", std::string(r.card.cardholder_name.reveal())}};
  if (r.tip) j["tip"] = r.tip->minor_units();
  if (r.surcharge) j["surcharge"] = r.surcharge->minor_units();
  if (r.emv) {
    Json emv{{"tags", to_hex(r.emv->tags)}};
    if (r.emv->fallback_condition) emv["fallback"] = static_cast<int>(*r.emv->fallback_condition);
    if (r.emv->last_chip_read) emv["last_chip_read"] = static_cast<int>(*r.emv->last_chip_read);
    j["emv"] = std::move(emv);
  }
  if (r.pin) j["pin"] = Json{{"block", to_hex(r.pin->pin_block.reveal())}, {"ksn", to_hex(r.pin->ksn)}};
  std::string text = j.dump();
  // The Json object's strings are freed without wiping; keep its life to this scope and
  // overwrite what we can reach.
  for (auto& [key, value] : j.items()) {
    if (value.is_string()) wipe(value.get_ref<std::string&>());
  }
  Bytes bytes(text.begin(), text.end());
  wipe(text);
  return SecretBytes::take(bytes);
}

Result<host::AuthorizationRequest> decode_payload(ByteView bytes, Currency currency) {
  std::string text(bytes.begin(), bytes.end());
  Json j = Json::parse(text, nullptr, false);
  wipe(text);
  if (!j.is_object() || j.value("v", 0) != kVersion) return make_error(Errc::malformed, "sealed payload: unknown format");
  host::AuthorizationRequest r;
  try {
    r.amount = Money{j.at("amount").get<std::int64_t>(), currency};
    if (j.contains("tip")) r.tip = Money{j["tip"].get<std::int64_t>(), currency};
    if (j.contains("surcharge")) r.surcharge = Money{j["surcharge"].get<std::int64_t>(), currency};
    const int mode = j.at("entry_mode").get<int>();
    if (mode < 0 || mode > static_cast<int>(host::EntryMode::contactless)) {
      return make_error(Errc::malformed, "sealed payload: entry mode out of range");
    }
    r.entry_mode = static_cast<host::EntryMode>(mode);
    r.allow_partial = j.value("allow_partial", true);
    r.card.pan = SecretString{secret_text(j, "pan")};
    r.card.expiry_yymm = SecretString{secret_text(j, "expiry")};
    r.card.cvc = SecretString{secret_text(j, "cvc")};
    r.card.track1 = SecretString{secret_text(j, "track1")};
    r.card.track2 = SecretString{secret_text(j, "track2")};
    r.card.cardholder_name = SecretString{secret_text(j, "name")};
    if (j.contains("emv")) {
      host::EmvData emv;
      auto tags = from_hex(j["emv"].value("tags", ""));
      if (!tags) return make_error(Errc::malformed, "sealed payload: chip tags are not hex");
      emv.tags = std::move(*tags);
      if (j["emv"].contains("fallback")) {
        const int v = j["emv"]["fallback"].get<int>();
        if (v < 0 || v > static_cast<int>(host::FallbackCondition::no_candidate_list)) {
          return make_error(Errc::malformed, "sealed payload: fallback condition out of range");
        }
        emv.fallback_condition = static_cast<host::FallbackCondition>(v);
      }
      if (j["emv"].contains("last_chip_read")) {
        const int v = j["emv"]["last_chip_read"].get<int>();
        if (v < 0 || v > static_cast<int>(host::LastChipRead::unknown)) {
          return make_error(Errc::malformed, "sealed payload: last chip read out of range");
        }
        emv.last_chip_read = static_cast<host::LastChipRead>(v);
      }
      r.emv = std::move(emv);
    }
    if (j.contains("pin")) {
      auto block = from_hex(j["pin"].value("block", ""));
      auto ksn = from_hex(j["pin"].value("ksn", ""));
      if (!block || !ksn) return make_error(Errc::malformed, "sealed payload: PIN data is not hex");
      r.pin = host::PinData{SecretBytes::take(*block), std::move(*ksn)};
    }
  } catch (const Json::exception&) {
    return make_error(Errc::malformed, "sealed payload: a field has the wrong type");
  }
  for (auto& [key, value] : j.items()) {
    if (value.is_string()) wipe(value.get_ref<std::string&>());
  }
  return r;
}

std::string derived_reference(std::string_view reference_id, std::string_view purpose) {
  const auto bytes = [](std::string_view text) { return ByteView{reinterpret_cast<const Byte*>(text.data()), text.size()}; };
  const crypto::Sha256Digest digest = crypto::sha256({bytes(purpose), bytes("|"), bytes(reference_id)});
  std::array<Byte, 16> b{};
  std::copy_n(digest.begin(), b.size(), b.begin());
  return uuid_from(b);
}

std::string random_uuid() {
  std::array<Byte, 16> b{};
  if (!crypto::random_bytes(b)) std::abort();  // no entropy: a terminal must not hand out guessable ids
  return uuid_from(b);
}

}  // namespace tender::app
