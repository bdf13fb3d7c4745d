// nlohmann without exceptions: parsing returns a discarded value on bad input, every field
// access checks the type first, and dumping replaces invalid UTF-8 instead of throwing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "net/http/message.hpp"

namespace tender::net::hostsim {

using Json = nlohmann::json;

// Object or discarded (malformed JSON, or valid JSON that is not an object).
Json parse_object(std::string_view body);

// The member `key` of an object, or null when `object` is not an object or lacks it.
const Json* member(const Json& object, std::string_view key);

// A string member (absent or JSON null -> nullopt; `ok` false when present with another type).
std::optional<std::string> string_member(const Json& object, std::string_view key, bool& ok);
std::optional<std::int64_t> int_member(const Json& object, std::string_view key, bool& ok);
std::optional<bool> bool_member(const Json& object, std::string_view key, bool& ok);

std::string dump(const Json& value);

// An HTTP response with a JSON body.
http::Response json_response(int status, const Json& body);

}  // namespace tender::net::hostsim
