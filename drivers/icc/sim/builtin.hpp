// The built-in card set: every profile in drivers/icc/sim/cards/*.json and the test PKI
// (pki/keys.json, pki/capk.json), embedded at build time (CMake generates a .cpp from
// the files), so the binaries work from any directory.
#pragma once

#include <span>
#include <string_view>

#include "drivers/icc/sim/card_profile.hpp"
#include "drivers/icc/sim/test_pki.hpp"
#include "drivers/icc/sim/virtual_card.hpp"

namespace tender::icc::sim {

struct BuiltinProfile {
  std::string_view name;  // the file name without .json
  std::string_view json;
};

// Sorted by name.
std::span<const BuiltinProfile> builtin_profiles();

// Errc::not_found for an unknown name; the parse error of a broken profile otherwise.
Result<CardProfile> builtin_profile(std::string_view name);

// The embedded test PKI, parsed and checked once. An error here means the build
// embedded a broken keys.json (tender-testkeys --check catches that).
Result<const TestPki*> builtin_pki();

// The terminal side's CA public keys for the test PKI (pki/capk.json as text).
std::string_view builtin_capk_json();

// A virtual card from a built-in profile and the built-in PKI.
Result<VirtualCard> make_builtin_card(std::string_view name, VirtualCard::RandomSource random = {});

}  // namespace tender::icc::sim
