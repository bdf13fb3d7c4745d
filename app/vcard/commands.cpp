#include "app/vcard/commands.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>

#include "common/log.hpp"
#include "common/port.hpp"

namespace tender::app::vcard {
namespace {

constexpr std::string_view kUsage =
    "usage: tender-vcard [--vpcd HOST:PORT] [--card NAME|PROFILE.json]... [--insert NAME|PROFILE.json] [--verbose]\n"
    "       tender-vcard --help | --version\n"
    "\n"
    "Puts a virtual EMV test card behind pcscd through vsmartcard's vpcd: while a card is\n"
    "inserted, pcscd shows it in the vpcd reader (\"Virtual PCD 00 00\") and any PC/SC\n"
    "application, tender included, talks to it.\n"
    "\n"
    "  --vpcd HOST:PORT   where vpcd listens (default 127.0.0.1:35963, its first slot);\n"
    "                     a numeric address, [::1]:PORT for IPv6\n"
    "  --card CARD        load a card profile file at start (repeatable); the built-in\n"
    "                     test cards are always there\n"
    "  --insert CARD      insert this card at start\n"
    "  --verbose          the vpcd bridge's log on stderr (lengths and status words only)\n"
    "\n"
    "CARD is a built-in card's name (`list` shows them) or a profile file (JSON, as\n"
    "drivers/icc/sim/README.md describes). Commands, one a line on stdin (a prompt when\n"
    "stdin is a terminal):\n";

constexpr std::string_view kCommands =
    "  list          the cards: name, masked PAN, description\n"
    "  insert CARD   insert a card into the empty slot\n"
    "  remove        take the card out\n"
    "  swap CARD     take the card out (if any) and insert another\n"
    "  status        the card in the slot and the vpcd connection\n"
    "  help          this list\n"
    "  quit          remove the card and exit (also: end of input on a terminal, SIGINT, SIGTERM)\n"
    "One status line on stdout per event; card data never leaves the process but as a masked PAN.\n";

struct VerbSpec {
  std::string_view word;
  Verb verb;
  bool takes_card;
};

constexpr std::array<VerbSpec, 7> kVerbs{{
    {"list", Verb::list, false},
    {"insert", Verb::insert, true},
    {"remove", Verb::remove, false},
    {"swap", Verb::swap, true},
    {"status", Verb::status, false},
    {"help", Verb::help, false},
    {"quit", Verb::quit, false},
}};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Splits at runs of blanks; no quoting (a profile path with a blank is given with --card
// and then inserted by name).
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

Error bad_argument(std::string message) {
  return make_error(Errc::invalid_argument, std::move(message) + " (tender-vcard --help)");
}

}  // namespace

std::string_view usage() { return kUsage; }
std::string_view command_help() { return kCommands; }

Result<VpcdAddress> parse_vpcd_address(std::string_view text) {
  const auto bad = [](std::string_view why) {
    return make_error(Errc::invalid_argument, "--vpcd: " + std::string(why));
  };
  std::string_view host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad("an IPv6 address is written [ADDRESS]:PORT");
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("expected HOST:PORT");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  const auto port = parse_port(port_text);
  if (!port) return bad("the port must be a number from 1 to 65535");
  const std::string host_text(host);
  std::array<unsigned char, sizeof(in6_addr)> scratch{};
  if (::inet_pton(AF_INET, host_text.c_str(), scratch.data()) != 1 &&
      ::inet_pton(AF_INET6, host_text.c_str(), scratch.data()) != 1)
    return bad("the host must be a numeric IPv4 or IPv6 address (no name lookup)");
  return VpcdAddress{host_text, *port};
}

std::string to_string(const VpcdAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

Result<Options> parse_arguments(std::span<const std::string_view> args) {
  Options options;
  bool vpcd_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (arg == "--version") {
      options.version = true;
      continue;
    }
    if (arg == "--verbose") {
      options.verbose = true;
      continue;
    }
    if (arg != "--vpcd" && arg != "--card" && arg != "--insert") return bad_argument("unknown argument " + log::scrub(arg.substr(0, 64)));
    if (i + 1 >= args.size()) return bad_argument(std::string(arg) + " needs a value");
    const std::string_view value = args[++i];
    if (value.empty()) return bad_argument(std::string(arg) + " must not be empty");
    if (arg == "--vpcd") {
      if (vpcd_seen) return bad_argument("--vpcd given twice");
      vpcd_seen = true;
      auto address = parse_vpcd_address(value);
      if (!address) return bad_argument(address.error().message);
      options.vpcd = std::move(*address);
    } else if (arg == "--card") {
      options.cards.emplace_back(value);
    } else {
      if (options.insert) return bad_argument("--insert given twice: the slot holds one card");
      options.insert = std::string(value);
    }
  }
  return options;
}

Result<std::optional<Command>> parse_command(std::string_view line) {
  const std::vector<std::string_view> w = words(line);
  if (w.empty() || w.front().front() == '#') return std::optional<Command>{};
  for (const VerbSpec& spec : kVerbs) {
    if (spec.word != w.front()) continue;
    if (spec.takes_card && w.size() < 2)
      return make_error(Errc::invalid_argument, std::string(spec.word) + ": which card? (" + std::string(spec.word) + " NAME|PROFILE.json)");
    if (w.size() > (spec.takes_card ? 2U : 1U))
      return make_error(Errc::invalid_argument, std::string(spec.word) + ": too many words");
    Command command{spec.verb, spec.takes_card ? std::string(w[1]) : std::string()};
    return std::optional<Command>{std::move(command)};
  }
  return make_error(Errc::invalid_argument,
                    "unknown command " + log::scrub(w.front().substr(0, 32)) + " (list, insert, remove, swap, status, help, quit)");
}

}  // namespace tender::app::vcard
