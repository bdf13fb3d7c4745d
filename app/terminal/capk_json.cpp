#include "app/terminal/capk_json.hpp"

#include <nlohmann/json.hpp>

namespace tender::app {
namespace {

using Json = nlohmann::json;

Result<Bytes> hex_field(const Json& key, std::string_view field, std::size_t index, std::size_t min,
                        std::size_t max) {
  const std::string where = "capks[" + std::to_string(index) + "]." + std::string(field);
  const auto it = key.find(field);
  if (it == key.end() || !it->is_string()) return make_error(Errc::malformed, where + ": missing or not a string");
  auto bytes = from_hex(it->get<std::string>());
  if (!bytes) return make_error(Errc::malformed, where + ": " + bytes.error().message);
  if (bytes->size() < min || bytes->size() > max) {
    return make_error(Errc::malformed, where + ": " + std::to_string(bytes->size()) + " bytes, expected " +
                                           std::to_string(min) + ".." + std::to_string(max));
  }
  return bytes;
}

}  // namespace

Result<std::vector<emv::Capk>> parse_capk_json(std::string_view json_text) {
  const Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return make_error(Errc::malformed, "CAPK file is not valid JSON");
  const auto list = doc.find("capks");
  if (!doc.is_object() || list == doc.end() || !list->is_array())
    return make_error(Errc::malformed, "CAPK file: expected {\"capks\":[...]}");

  std::vector<emv::Capk> keys;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& entry = (*list)[i];
    if (!entry.is_object()) return make_error(Errc::malformed, "capks[" + std::to_string(i) + "]: not an object");
    emv::Capk key;
    auto rid = hex_field(entry, "rid", i, 5, 5);
    if (!rid) return std::move(rid).error();
    auto index = hex_field(entry, "index", i, 1, 1);
    if (!index) return std::move(index).error();
    auto modulus = hex_field(entry, "modulus", i, 64, 248);
    if (!modulus) return std::move(modulus).error();
    auto exponent = hex_field(entry, "exponent", i, 1, 3);
    if (!exponent) return std::move(exponent).error();
    auto checksum = hex_field(entry, "checksum", i, 20, 20);
    if (!checksum) return std::move(checksum).error();
    key.rid = std::move(*rid);
    key.index = (*index)[0];
    key.modulus = std::move(*modulus);
    key.exponent = std::move(*exponent);
    key.checksum = std::move(*checksum);
    if (entry.contains("expiry")) {
      auto expiry = hex_field(entry, "expiry", i, 3, 3);
      if (!expiry) return std::move(expiry).error();
      key.expiry = std::array<Byte, 3>{(*expiry)[0], (*expiry)[1], (*expiry)[2]};
    }
    if (auto verified = emv::verify_checksum(key); !verified) {
      return make_error(Errc::checksum, "capks[" + std::to_string(i) + "]: " + verified.error().message);
    }
    // The kernel takes the first key of a RID and index: a second one would never be used,
    // and which of the two the file meant cannot be known.
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j].rid == key.rid && keys[j].index == key.index)
        return make_error(Errc::invalid_argument, "capks[" + std::to_string(i) + "]: the RID and index of capks[" +
                                                      std::to_string(j) + "] again");
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace tender::app
