// Fuzz target: tender-emu's scenario parser (app/emu/scenario.hpp, parse_scenario), the
// file format certification teams write by hand. Beyond "no crash": a refusal has a
// message. Seeds: the certification suite itself (tests/scenarios) and
// tests/fuzz/corpus/scenario_fuzz.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/emu/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = tender::app::emu::parse_scenario(text, "fuzz.json");
  if (!scenario && scenario.error().message.empty()) std::abort();
  return 0;
}
