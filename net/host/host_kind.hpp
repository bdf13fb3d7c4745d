// The hosts Tender talks to, by kind, and the one name each has in configuration files,
// scenario files and command lines. Adding a host starts here; what a kind is built from
// is the product's registry (app/config/host_registry.cpp) and the simulation's
// (net/hostsim/sim_registry.cpp, app/emu/sim_hosts.cpp).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tender::net::host {

// The numbers are persisted (tender-hostsim's SQLite store): a new kind takes the next one.
enum class HostKind { aurora = 0, fullstack = 1, connexpay = 2 };

inline constexpr std::array kHostKinds{
    std::pair{HostKind::aurora, std::string_view{"aurora"}},
    std::pair{HostKind::fullstack, std::string_view{"fullstack"}},
    std::pair{HostKind::connexpay, std::string_view{"connexpay"}},
};

std::string_view to_string(HostKind kind) noexcept;
std::optional<HostKind> host_kind_from(std::string_view name) noexcept;
// "\"aurora\", \"fullstack\" or \"connexpay\"": for an error message naming what a field may be.
std::string host_kind_choices();

}  // namespace tender::net::host
