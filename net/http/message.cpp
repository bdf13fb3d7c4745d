#include "net/http/message.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tender::net::http {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, 5> kMethods = {{
    {Method::get, "GET"}, {Method::post, "POST"}, {Method::put, "PUT"},
    {Method::patch, "PATCH"}, {Method::delete_, "DELETE"},
}};

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string_view> find(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return std::string_view{h.value};
  return std::nullopt;
}

void set(std::vector<Header>& headers, std::string name, std::string value) {
  std::erase_if(headers, [&](const Header& h) { return iequals(h.name, name); });
  headers.push_back({std::move(name), std::move(value)});
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space); a malformed escape
// is kept as it is rather than guessed at.
std::string percent_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(Method method) noexcept {
  for (const auto& [m, name] : kMethods)
    if (m == method) return name;
  return "GET";
}

std::optional<Method> method_from_string(std::string_view text) noexcept {
  for (const auto& [m, name] : kMethods)
    if (name == text) return m;
  return std::nullopt;
}

std::optional<std::string_view> Request::header(std::string_view name) const { return find(headers, name); }
void Request::set_header(std::string name, std::string value) { set(headers, std::move(name), std::move(value)); }

std::string_view Request::path() const {
  const std::string_view t{target};
  return t.substr(0, t.find('?'));
}

std::optional<std::string> Request::query_parameter(std::string_view name) const {
  const auto q = target.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view{target}.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> Response::header(std::string_view name) const { return find(headers, name); }
void Response::set_header(std::string name, std::string value) { set(headers, std::move(name), std::move(value)); }

}  // namespace tender::net::http
