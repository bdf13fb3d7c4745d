// Fuzz target: the terminal configuration parser (app/config, parse_settings). Beyond "no
// crash": an error has a message, and what it says after the field path ("PATH: what is
// wrong") never passes on nlohmann's exception text (which quotes the value: "number
// overflow parsing '1e999'") nor a credential. The seeds carry their credentials as
// "fuzz-SECRET-..." so an echo of one is found. (Keys may be echoed in the path: a
// misspelt key is named, and a mutation can turn a value into a key.)
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/config/settings.hpp"
#include "common/log.hpp"

namespace {

class NullSink : public tender::log::Sink {
 public:
  void write(tender::log::Level, std::string_view, std::string_view) override {}
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static NullSink sink;
  tender::log::set_sink(&sink);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A base directory that does not exist: relative paths resolve, nothing is opened.
  auto settings = tender::app::parse_settings(text, "/nonexistent/tender-fuzz");
  if (settings) return 0;
  const std::string& message = settings.error().message;
  if (message.empty()) std::abort();
  // Only what follows the path: a key is named as written, whatever it holds (libFuzzer
  // soon learns to write "number overflow" into one).
  const auto path_end = message.rfind(": ");
  const std::string_view said = path_end == std::string::npos ? std::string_view(message)
                                                              : std::string_view(message).substr(path_end);
  for (std::string_view leak : {"[json.exception", "number overflow", "syntax error", "fuzz-SECRET"})
    if (said.find(leak) != std::string_view::npos) std::abort();
  return 0;
}
