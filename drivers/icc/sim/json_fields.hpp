// Strict reading of one JSON object for the sim's files (card profiles, replay files,
// the test PKI): every field is typed and range-checked, unknown fields are errors,
// and every error names the field by its path ("applications[0].aip"). Values are
// never quoted in messages: profiles hold PANs, PINs and keys.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::icc::sim {

using Json = nlohmann::json;

// Parses text without exceptions; Errc::malformed naming `what` on a syntax error.
Result<Json> parse_json(std::string_view text, std::string_view what);

Error field_error(Errc code, const std::string& field, std::string_view problem);

class JsonObject {
 public:
  // Errc::malformed when `value` is not an object.
  static Result<JsonObject> of(const Json& value, std::string path);

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::string field(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const;

  // The raw value (marks the key as known); nullptr when absent.
  const Json* get(std::string_view key);

  Result<std::string> text(std::string_view key, std::size_t min_length = 0, std::size_t max_length = 4096);
  Result<std::optional<std::string>> optional_text(std::string_view key, std::size_t min_length = 0,
                                                   std::size_t max_length = 4096);
  Result<Bytes> hex(std::string_view key, std::size_t min_bytes, std::size_t max_bytes);
  Result<std::optional<Bytes>> optional_hex(std::string_view key, std::size_t min_bytes, std::size_t max_bytes);
  Result<bool> boolean(std::string_view key, bool fallback);
  Result<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  Result<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t fallback);
  // One of `choices`; `fallback` when absent (nullopt: required).
  Result<std::string> choice(std::string_view key, std::initializer_list<std::string_view> choices,
                             std::optional<std::string_view> fallback = std::nullopt);

  // Errc::malformed naming the first field that no accessor asked for.
  Result<void> finish() const;

 private:
  JsonObject(const Json& value, std::string path) : value_(&value), path_(std::move(path)) {}
  const Json* value_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
};

// Checks that `value` is an array; Errc::malformed naming `field` otherwise.
Result<const Json*> json_array(const Json* value, const std::string& field);

}  // namespace tender::icc::sim
