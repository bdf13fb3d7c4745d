#include "net/host/host_kind.hpp"

#include "net/host/table.hpp"

namespace tender::net::host {

std::string_view to_string(HostKind kind) noexcept { return table_lookup(kHostKinds, kind).value_or("unknown"); }

std::optional<HostKind> host_kind_from(std::string_view name) noexcept {
  for (const auto& [kind, n] : kHostKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string host_kind_choices() {
  std::string out;
  for (std::size_t i = 0; i < kHostKinds.size(); ++i) {
    if (i > 0) out += i + 1 == kHostKinds.size() ? " or " : ", ";
    out += '"';
    out += kHostKinds[i].second;
    out += '"';
  }
  return out;
}

}  // namespace tender::net::host
