#include "app/config/host_registry.hpp"

#include <array>

namespace tender::app::config_detail {
namespace {

// A new host: its entry here, its kind in net/host/host_kind.hpp, its file in hosts/.
constexpr std::array<const HostEntry*, 3> kRegistry{&kAuroraHost, &kFullStackHost, &kConnexPayHost};

}  // namespace

std::span<const HostEntry* const> host_registry() noexcept { return kRegistry; }

const HostEntry* host_entry(net::host::HostKind kind) noexcept {
  for (const HostEntry* entry : kRegistry) {
    if (entry->kind == kind) return entry;
  }
  return nullptr;
}

}  // namespace tender::app::config_detail
