#include "app/config/json_fields.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/secure_zero.hpp"

namespace tender::app::config_detail {
namespace {

std::string join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

// Runs one access to the tree at `path`. The accessors check types before reading, so
// nlohmann has nothing to throw; should it throw anyway (a type or range it checks that
// we did not), the error names the field and never carries e.what(), which may quote
// the value.
template <class T, class Access>
Result<T> guarded(std::string_view path, Access access) {
  try {
    return access();
  } catch (const Json::out_of_range&) {
    return field_error(Errc::out_of_range, path, "out of range");
  } catch (const Json::exception&) {
    return field_error(Errc::malformed, path, "cannot be read");
  }
}

}  // namespace

Error field_error(Errc code, std::string_view path, std::string_view message) {
  std::string text(path);
  text += ": ";
  text += message;
  return make_error(code, std::move(text));
}

Result<Json> parse_json(std::string_view text) {
  // The parser's callback sees every key before the DOM keeps the last of a repeated one.
  struct Scope {
    std::string path;
    std::set<std::string, std::less<>> keys;
    std::string entered_by;  // the key whose value this object is (for error paths)
  };
  std::vector<Scope> scopes;
  std::string last_key;
  std::optional<std::string> repeated;
  const Json::parser_callback_t watch = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        scopes.push_back({scopes.empty() ? std::string{} : join(scopes.back().path, last_key), {}, last_key});
        break;
      case Json::parse_event_t::key:
        if (parsed.is_string() && !scopes.empty()) {
          last_key = parsed.get<std::string>();
          if (!scopes.back().keys.insert(last_key).second && !repeated)
            repeated = join(scopes.back().path, last_key);
        }
        break;
      case Json::parse_event_t::object_end:
        if (!scopes.empty()) {
          // Back in the enclosing value: an array's next element is still under its key.
          last_key = scopes.back().entered_by;
          scopes.pop_back();
        }
        break;
      default:
        break;
    }
    return true;
  };
  // Where the parser is when it throws: the field whose value it was reading.
  const auto here = [&] {
    if (scopes.empty()) return std::string("the document");
    return last_key.empty() ? (scopes.back().path.empty() ? std::string("the document") : scopes.back().path)
                            : join(scopes.back().path, last_key);
  };
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const Json::parse_error& e) {
    return make_error(Errc::malformed, "not valid JSON (at byte " + std::to_string(e.byte) + ")");
  } catch (const Json::out_of_range&) {
    // A number that parses but no double holds (1e999). e.what() quotes it: never used.
    return field_error(Errc::out_of_range, here(), "number out of range");
  } catch (const Json::exception&) {
    return field_error(Errc::malformed, here(), "cannot be read");
  }
  if (repeated) return field_error(Errc::invalid_argument, *repeated, "given twice");
  return doc;
}

Result<Object> Object::open(Json& value, std::string path, std::initializer_list<std::string_view> allowed) {
  return open(value, std::move(path), std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

Result<Object> Object::open(Json& value, std::string path, std::span<const std::string_view> allowed) {
  const std::string where = path.empty() ? std::string("the document") : path;
  return guarded<Object>(where, [&]() -> Result<Object> {
    if (!value.is_object()) return field_error(Errc::malformed, where, "must be an object");
    for (const auto& item : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
        return field_error(Errc::invalid_argument, join(path, item.key()), "unknown key");
    }
    return Object{value, std::move(path)};
  });
}

std::string Object::path(std::string_view key) const { return join(path_, key); }

const Json* Object::find(std::string_view key) const { return find_mutable(key); }

Json* Object::find_mutable(std::string_view key) const {
  auto it = value_->find(key);
  return it == value_->end() ? nullptr : &*it;
}

Result<const Json*> Object::required(std::string_view key) const {
  if (const Json* v = find(key)) return v;
  return field_error(Errc::invalid_argument, path(key), "missing");
}

Result<Object> Object::object(std::string_view key, std::initializer_list<std::string_view> allowed) const {
  return object(key, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

Result<Object> Object::object(std::string_view key, std::span<const std::string_view> allowed) const {
  Json* v = find_mutable(key);
  if (v == nullptr) return field_error(Errc::invalid_argument, path(key), "missing");
  return open(*v, path(key), allowed);
}

Result<std::string> Object::text(std::string_view key) const {
  return guarded<std::string>(path(key), [&]() -> Result<std::string> {
    auto v = required(key);
    if (!v) return std::move(v).error();
    if (!(*v)->is_string()) return field_error(Errc::malformed, path(key), "must be a string");
    return (*v)->get<std::string>();
  });
}

Result<bool> Object::boolean_or(std::string_view key, bool fallback) const {
  return guarded<bool>(path(key), [&]() -> Result<bool> {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) return field_error(Errc::malformed, path(key), "must be true or false");
    return v->get<bool>();
  });
}

Result<std::int64_t> Object::integer_or(std::string_view key, std::int64_t fallback, std::int64_t min,
                                        std::int64_t max) const {
  return guarded<std::int64_t>(path(key), [&]() -> Result<std::int64_t> {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number_integer()) return field_error(Errc::malformed, path(key), "must be an integer");
    const std::string range = "must be from " + std::to_string(min) + " to " + std::to_string(max);
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      return field_error(Errc::out_of_range, path(key), range);
    const auto i = v->get<std::int64_t>();
    if (i < min || i > max) return field_error(Errc::out_of_range, path(key), range);
    return i;
  });
}

namespace {
// Ids the hosts and receipts carry: printable ASCII without spaces.
constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxSecretLength = 512;

bool is_id_char(char c) { return c > 0x20 && c < 0x7F; }

bool is_env_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  if (name[0] >= '0' && name[0] <= '9') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Result<std::string> id_field(const Object& o, std::string_view key) {
  auto v = o.text(key);
  if (!v) return std::move(v).error();
  if (v->empty() || v->size() > kMaxIdLength)
    return field_error(Errc::out_of_range, o.path(key), "must be 1 to 64 characters");
  if (!std::all_of(v->begin(), v->end(), is_id_char))
    return field_error(Errc::malformed, o.path(key), "must be printable ASCII without spaces");
  return v;
}

// The value of environment variable `name`, copied straight into a SecretString.
Result<SecretString> secret_from_env(std::string_view name, const std::string& path) {
  if (!is_env_name(name))
    return field_error(Errc::malformed, path, "must name an environment variable (letters, digits, _)");
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr)
    return field_error(Errc::not_found, path, "environment variable " + std::string(name) + " is not set");
  SecretString secret{std::string_view{value}};
  if (secret.empty() || secret.size() > kMaxSecretLength)
    return field_error(Errc::out_of_range, path, "environment variable " + std::string(name) + " must hold 1 to 512 characters");
  return secret;
}

namespace {
int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

bool secret_hex_into(std::string_view digits, std::span<Byte> out) {
  if (digits.size() != 2 * out.size()) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_nibble(digits[2 * i]);
    const int lo = hex_nibble(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      secure_zero(out.data(), out.size());
      return false;
    }
    out[i] = static_cast<Byte>(hi << 4 | lo);
  }
  return true;
}

// A credential given either as `<key>_env` (preferred) or as `<key>` in the file.
Result<SecretString> credential(Object& o, std::string_view key) {
  const std::string env_key = std::string(key) + "_env";
  Json* literal = o.find_mutable(key);
  const Json* env = o.find(env_key);
  if (literal != nullptr && env != nullptr)
    return field_error(Errc::invalid_argument, o.path(key), "give " + env_key + " or " + std::string(key) + ", not both");
  if (env != nullptr) {
    auto name = o.text(env_key);
    if (!name) return std::move(name).error();
    return secret_from_env(*name, o.path(env_key));
  }
  if (literal == nullptr)
    return field_error(Errc::invalid_argument, o.path(key), "missing (give " + env_key + " or " + std::string(key) + ")");
  if (!literal->is_string()) return field_error(Errc::malformed, o.path(key), "must be a string");
  auto& text = literal->get_ref<std::string&>();
  if (text.empty() || text.size() > kMaxSecretLength)
    return field_error(Errc::out_of_range, o.path(key), "must be 1 to 512 characters");
  SecretString secret{text};
  // The parsed tree is ours: do not leave a clear copy of the credential in it.
  secure_zero(text.data(), text.size());
  return secret;
}

}  // namespace tender::app::config_detail
