// tender-vcard's two inputs as values: its arguments, and the command lines it reads on
// stdin. Parsing only; app/vcard/main.cpp runs them.
//
//   tender-vcard [--vpcd HOST:PORT] [--card NAME|PROFILE.json]... [--insert NAME|PROFILE.json]
//                [--verbose] | --help | --version
//
// stdin, one command a line: list | insert CARD | remove | swap CARD | status | help | quit
// (blank lines and lines starting with '#' are skipped, so a script can carry comments).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "drivers/icc/pcsc/vpcd_bridge.hpp"

namespace tender::app::vcard {

inline constexpr std::string_view kProgram = "tender-vcard";

struct VpcdAddress {
  std::string host = "127.0.0.1";  // numeric only: the bridge does no name lookup
  std::uint16_t port = icc::vpcd::kDefaultPort;
};

struct Options {
  VpcdAddress vpcd;
  std::vector<std::string> cards;      // --card: profile files (or built-in names) to load at start
  std::optional<std::string> insert;   // --insert: the card in the slot from the start
  bool verbose = false;                // the drivers' log lines on stderr (lengths and SW only)
  bool help = false;
  bool version = false;
};

// Errc::invalid_argument naming the argument: unknown, missing its value, given twice
// (--vpcd, --insert), or a --vpcd that is not HOST:PORT with a numeric address and a port
// from 1 to 65535.
Result<Options> parse_arguments(std::span<const std::string_view> args);

// "HOST:PORT"; an IPv6 host in brackets ("[::1]:35963"). A name such as localhost is
// refused: the bridge connects to numeric addresses only.
Result<VpcdAddress> parse_vpcd_address(std::string_view text);
std::string to_string(const VpcdAddress& address);

enum class Verb : std::uint8_t { list, insert, remove, swap, status, help, quit };

struct Command {
  Verb verb = Verb::status;
  std::string card;  // insert and swap: a card name or a profile file
};

// std::nullopt for a blank or comment line; Errc::invalid_argument for an unknown verb,
// a missing card (insert, swap) or a word too many.
Result<std::optional<Command>> parse_command(std::string_view line);

std::string_view usage();          // the --help text
std::string_view command_help();   // the `help` command's text

}  // namespace tender::app::vcard
