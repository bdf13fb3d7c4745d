// tender: the terminal on real devices (a Linux POS box with a USB card reader, a wedge
// stripe reader and a receipt printer), configured by one JSON file.
//
//   tender --config FILE                 the idle loop and the merchant menu (app/terminal/counter_menu)
//   tender --config FILE --once 12.34    one sale; exit 0 when approved, 1 otherwise
//
// Exit 2 with one line on stderr for bad arguments or a config file that does not load;
// exit 1 with one line for a device, the journal or the host that cannot be opened.
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "app/config/settings.hpp"
#include "app/tender/terminal.hpp"
#include "common/log.hpp"
#include "common/version.hpp"

namespace {

using tender::app::terminal::ExitCode;

constexpr std::string_view kUsage =
    "usage: tender --config FILE [--once AMOUNT]\n"
    "       tender --help | --version";

int fail(ExitCode code, std::string_view message) {
  // Under systemd the journal files it as an error, not at the stream's default priority.
  std::cerr << (tender::log::stderr_is_journal() ? "<3>" : "") << "tender: " << message << "\n";
  return static_cast<int>(code);
}

}  // namespace

int main(int argc, char** argv) {
  namespace t = tender::app::terminal;
  std::optional<std::string> config;
  std::optional<std::string> once;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage << "\n";
      return 0;
    }
    if (arg == "--version") {
      std::cout << tender::version_line("tender") << "\n";
      return 0;
    }
    const bool takes_value = arg == "--config" || arg == "--once";
    if (!takes_value) return fail(ExitCode::bad_input, "unknown argument " + std::string(arg) + " (see tender --help)");
    if (i + 1 >= argc) return fail(ExitCode::bad_input, std::string(arg) + " needs a value");
    auto& slot = arg == "--config" ? config : once;
    if (slot) return fail(ExitCode::bad_input, std::string(arg) + " given twice");
    slot = argv[++i];
  }
  if (!config) return fail(ExitCode::bad_input, "--config is required (see tender --help)");

  auto settings = tender::app::load_settings(*config);
  if (!settings) return fail(ExitCode::bad_input, settings.error().message);
  // The published test key would seal a merchant's journal with a key anyone can read.
  if (settings->test_device_key)
    return fail(ExitCode::bad_input, "device_key \"test\" is for the emulator and tests; tender needs \"credential:NAME\", \"file:PATH\" or \"env:NAME\"");
  std::optional<tender::Money> amount;
  if (once) {
    auto parsed = tender::Money::parse(*once, settings->engine.currency);
    if (!parsed || parsed->minor_units() <= 0)
      return fail(ExitCode::bad_input, "--once needs a positive amount such as 12.34");
    amount = *parsed;
  }

  t::install_signal_handlers();
  auto terminal = t::Terminal::start(*settings);
  if (!terminal) return fail(ExitCode::failed, terminal.error().message);
  const bool recovered = (*terminal)->recover();
  if (t::stop_requested()) return static_cast<int>(ExitCode::ok);
  if (amount) {
    if (!recovered) {
      terminal->reset();  // gives the display back before the message
      return fail(ExitCode::failed, "journal recovery did not finish: no sale started");
    }
    const t::OnceResult result = (*terminal)->run_once(*amount);
    terminal->reset();
    if (!result.out.empty()) std::cout << result.out << std::endl;
    if (!result.err.empty()) std::cerr << "tender: " << result.err << "\n";
    return static_cast<int>(result.code);
  }
  const ExitCode code = (*terminal)->run_interactive();
  return static_cast<int>(code);
}
