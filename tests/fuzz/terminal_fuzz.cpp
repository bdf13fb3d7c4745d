// Fuzz target: the terminal's EMV file (app/terminal, parse_terminal_json). Beyond "no
// crash": an error has a message, and what it says after the field path never passes on
// nlohmann's exception text (which quotes the value) nor the text of another parser
// (from_hex, Money::parse, parse_dol): the file's own words only.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/terminal/terminal_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = tender::app::parse_terminal_json(text, tender::usd());
  if (config) {
    if (config->aids.empty()) std::abort();  // a terminal file lists at least one AID
    return 0;
  }
  const std::string& message = config.error().message;
  if (message.empty()) std::abort();
  const auto path_end = message.rfind(": ");
  const std::string_view said = path_end == std::string::npos ? std::string_view(message)
                                                              : std::string_view(message).substr(path_end);
  for (std::string_view leak : {"[json.exception", "number overflow", "syntax error", "amount \""})
    if (said.find(leak) != std::string_view::npos) std::abort();
  return 0;
}
