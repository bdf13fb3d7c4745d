// tender-emu --web: the interactive emulator as a page on loopback. The page (app/emu/web/,
// compiled into the binary) shows the terminal's display, its keypad (which is the PIN pad),
// the card set, the printed receipts and the host messages, masked; it follows the terminal
// through Server-Sent Events and sends keys and card actions by POST (web_server.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "app/emu/bench.hpp"
#include "common/result.hpp"
#include "ui/keypad.hpp"
#include "ui/screen.hpp"

namespace tender::app::emu {

// Where the page is served: loopback only (127.0.0.1, ::1 or localhost), since anyone who
// reaches the page can drive the terminal.
struct WebAddress {
  std::string host = "127.0.0.1";  // a numeric loopback address
  std::uint16_t port = 0;          // 0: a free one
};
// "[ADDR:]PORT" ("8080", "127.0.0.1:8080", "localhost:0", "[::1]:8080"); Errc::invalid_argument
// for anything else, a non-loopback address included.
Result<WebAddress> parse_web_address(std::string_view text);

// One input from the page (POST /input's body): {"key": "ENTER"} (ui::key_from_name's names),
// {"card": "insert"|"swipe", "name": CARD}, {"card": "swipe", "tracks": RAW} (1 to 256
// characters) or {"card": "remove"}. Errc::malformed or invalid_argument otherwise, with a
// message that never repeats what was sent (it may be track data).
using PageInput = std::variant<ui::Key, CardAction>;
Result<PageInput> parse_page_input(std::string_view body);

// Serves the page and runs the terminal until SIGINT or SIGTERM. Prints
// "listening on http://ADDR:PORT/" on stdout once the page can be loaded.
int run_web(const WebAddress& address, ui::DisplaySize size, const BenchOptions& options);

}  // namespace tender::app::emu
