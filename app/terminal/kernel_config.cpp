#include "app/terminal/kernel_config.hpp"

#include <fstream>
#include <string>
#include <system_error>

#include "app/terminal/capk_json.hpp"
#include "app/terminal/terminal_json.hpp"

namespace tender::app {
namespace {

// Both files are a few pages of JSON; anything much larger is not one of them.
constexpr std::uintmax_t kMaxFileBytes = 256 * 1024;

// The file's text; errors start with the field that named it.
Result<std::string> read_file(const std::filesystem::path& path, std::string_view field) {
  const std::string where = std::string(field) + " " + path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return make_error(Errc::not_found, where + " does not exist");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(Errc::io_error, where + " cannot be read");
  if (size > kMaxFileBytes) return make_error(Errc::out_of_range, where + " is larger than 256 KiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::io_error, where + " cannot be opened");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.gcount() != static_cast<std::streamsize>(text.size())) return make_error(Errc::io_error, where + " cannot be read");
  return text;
}

Error in_field(std::string_view field, Error e) {
  e.message = std::string(field) + ": " + e.message;
  return e;
}

}  // namespace

Result<emv::TerminalConfig> load_kernel_config(const TerminalSettings& settings) {
  const EmvSettings& files = settings.emv;
  emv::TerminalConfig config;
  if (files.terminal_file) {
    auto text = read_file(*files.terminal_file, "emv.terminal_file");
    if (!text) return std::move(text).error();
    auto parsed = parse_terminal_json(*text, settings.engine.currency);
    if (!parsed) return in_field("emv.terminal_file", std::move(parsed).error());
    config = std::move(*parsed);
  } else if (settings.devices.chip_reader) {
    // Why not the built-in test set: see the header. Refusing here, at start, is one line
    // for the integrator instead of real cards run under test action codes.
    return make_error(Errc::invalid_argument,
                      "emv.terminal_file: missing: a terminal with a chip reader (devices.card_reader) needs its AIDs "
                      "and their parameters (data/emv/terminal.sample.json is the test set)");
  }  // else no chip reader: no AIDs, the kernel never runs
  config.terminal_id = settings.engine.terminal_id;
  config.merchant_id = settings.engine.merchant.merchant_id;
  config.currency = settings.engine.currency;
  if (files.capk_file) {
    auto text = read_file(*files.capk_file, "emv.capk_file");
    if (!text) return std::move(text).error();
    auto capks = parse_capk_json(*text);
    if (!capks) return in_field("emv.capk_file", std::move(capks).error());
    config.capks = std::move(*capks);
  }
  return config;
}

}  // namespace tender::app
