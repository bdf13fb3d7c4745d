#include "drivers/icc/sim/builtin.hpp"

#include <algorithm>

#include "drivers/icc/sim/builtin_data.hpp"

namespace tender::icc::sim {

std::span<const BuiltinProfile> builtin_profiles() {
  return {generated::kProfiles, generated::kProfileCount};
}

Result<CardProfile> builtin_profile(std::string_view name) {
  const auto profiles = builtin_profiles();
  auto it = std::find_if(profiles.begin(), profiles.end(), [&](const BuiltinProfile& p) { return p.name == name; });
  if (it == profiles.end()) return make_error(Errc::not_found, "no built-in card profile named " + std::string(name));
  return parse_profile(it->json, std::string(it->name));
}

Result<const TestPki*> builtin_pki() {
  static const Result<TestPki> pki = TestPki::parse(generated::kKeysJson);
  if (!pki) return pki.error();
  return &*pki;
}

std::string_view builtin_capk_json() { return generated::kCapkJson; }

Result<VirtualCard> make_builtin_card(std::string_view name, VirtualCard::RandomSource random) {
  auto profile = builtin_profile(name);
  if (!profile) return std::move(profile).error();
  auto pki = builtin_pki();
  if (!pki) return std::move(pki).error();
  return VirtualCard::create(*profile, **pki, std::move(random));
}

}  // namespace tender::icc::sim
