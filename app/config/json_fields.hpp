// Reading the config file's JSON strictly (internal to app/config, and the EMV files of
// app/terminal that follow the same rules): every object lists the
// keys it allows, every field access names its path in the error, repeated keys are errors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::app::config_detail {

using Json = nlohmann::json;

// "host.url: must start with https://"
Error field_error(Errc code, std::string_view path, std::string_view message);

// One JSON document. Errc::malformed with the byte offset on a syntax error (never the
// text around it: it may be a credential); Errc::invalid_argument naming a key that an
// object repeats (the parser would keep the last one silently). Comments (// and /* */)
// are allowed: the installed sample explains every field where it stands.
Result<Json> parse_json(std::string_view text);

// A JSON object at `path` in the document. Holds a pointer into the document, which must
// outlive it; mutable so that credentials can be wiped from the tree once copied.
class Object {
 public:
  // Errc::malformed when `value` is not an object; Errc::invalid_argument for a key not
  // in `allowed` (checked first, so a misspelt required key reads "unknown", not "missing").
  static Result<Object> open(Json& value, std::string path, std::initializer_list<std::string_view> allowed);
  static Result<Object> open(Json& value, std::string path, std::span<const std::string_view> allowed);

  [[nodiscard]] std::string path(std::string_view key) const;
  [[nodiscard]] const Json* find(std::string_view key) const;
  [[nodiscard]] Json* find_mutable(std::string_view key) const;
  // Errc::invalid_argument "PATH: missing".
  [[nodiscard]] Result<const Json*> required(std::string_view key) const;
  // The member `key`, which must be present and an object.
  [[nodiscard]] Result<Object> object(std::string_view key, std::initializer_list<std::string_view> allowed) const;
  [[nodiscard]] Result<Object> object(std::string_view key, std::span<const std::string_view> allowed) const;
  // A required string.
  [[nodiscard]] Result<std::string> text(std::string_view key) const;
  [[nodiscard]] Result<bool> boolean_or(std::string_view key, bool fallback) const;
  // An optional integer in [min, max]; a fraction or a string is Errc::malformed.
  [[nodiscard]] Result<std::int64_t> integer_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                                                std::int64_t max) const;

 private:
  Object(Json& value, std::string path) : value_(&value), path_(std::move(path)) {}
  Json* value_;
  std::string path_;
};

// An id the hosts and receipts carry: 1 to 64 printable ASCII characters without spaces.
Result<std::string> id_field(const Object& o, std::string_view key);
// The value of environment variable `name`, copied straight into a SecretString; `path`
// names the field that named it.
Result<SecretString> secret_from_env(std::string_view name, const std::string& path);
// Exactly 2 * out.size() hex digits (either case) decoded into `out`, which a false leaves
// zeroed: for keys, which never pass through an ordinary Bytes.
[[nodiscard]] bool secret_hex_into(std::string_view digits, std::span<Byte> out);
// A credential given either as `<key>_env` (preferred) or as `<key>` in the file; the
// literal is wiped from the tree once copied.
Result<SecretString> credential(Object& o, std::string_view key);

}  // namespace tender::app::config_detail
