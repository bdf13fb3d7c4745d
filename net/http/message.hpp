// HTTP/1.1 messages as plain values: what the host adapters build and parse, what the
// host simulator answers, what the Beast-based client and server carry. Keeping Beast
// out of this header keeps it out of every translation unit that only maps JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tender::net::http {

enum class Method { get, post, put, patch, delete_ };

std::string_view to_string(Method method) noexcept;  // "GET", "POST", ...
std::optional<Method> method_from_string(std::string_view text) noexcept;

struct Header {
  std::string name;   // as sent; lookups ignore case (RFC 9110 5.1)
  std::string value;
};

struct Request {
  Method method = Method::get;
  std::string target;  // origin-form: "/api/transaction?page=2"
  std::vector<Header> headers;
  std::string body;

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  void set_header(std::string name, std::string value);  // replaces any header of that name
  [[nodiscard]] std::string_view path() const;            // the target without its query
  [[nodiscard]] std::optional<std::string> query_parameter(std::string_view name) const;  // percent-decoded
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  void set_header(std::string name, std::string value);
};

}  // namespace tender::net::http
