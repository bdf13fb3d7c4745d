// tenderctl: the tool CLI. Its output is a stable contract (see README.md), so
// commands live in one table and each prints exactly the fields it documents.
#include <array>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/tenderctl/cli.hpp"
#include "common/log.hpp"
#include "common/version.hpp"

namespace tender::ctl {

namespace {

struct Command {
  std::string_view group;
  std::string_view verb;  // empty: the group alone ("pinblock --format 0 ...")
  CommandResult (*run)(const std::vector<std::string>&);
  std::string_view usage;
  OperationResult (*operation)(const std::vector<std::string>&) = nullptr;  // instead of run
};

constexpr std::array<Command, 9> kCommands = {{
    {"track", "parse", track_parse, "track parse DATA"},
    {"tlv", "decode", tlv_decode, "tlv decode HEX"},
    {"pinblock", "encrypt", pinblock_encrypt,
     "pinblock encrypt --pin PIN --pan PAN --bdk HEX --ksn HEX [--fill HEX8]"},
    {"pinblock", "", pinblock, "pinblock --format 0|4 --pin PIN --pan PAN [--fill HEX8]"},
    {"dukpt", "derive", dukpt_derive, "dukpt derive --bdk HEX --ksn HEX"},
    {"journal", "list", nullptr, "journal list --config FILE [--limit N]", journal_list},
    {"queue", "list", nullptr, "queue list --config FILE", queue_list},
    {"queue", "flush", nullptr, "queue flush --config FILE", queue_flush},
    {"settle", "", nullptr, "settle --config FILE", settle},
}};

void print_usage(std::FILE* to) {  // for --help only: errors stay one line
  std::fprintf(to, "usage: tenderctl COMMAND ...\n       tenderctl --help | --version\n");
  for (const auto& c : kCommands)
    std::fprintf(to, "  tenderctl %.*s\n", static_cast<int>(c.usage.size()), c.usage.data());
}

int fail(std::string_view message, int exit_code = kExitBadInput) {
  // One line, whatever the message holds, and scrubbed: a mistyped command
  // line may put a PAN where a command name was expected.
  std::string line = tender::log::scrub(message);
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::fprintf(stderr, "tenderctl: %s\n", line.c_str());
  return exit_code;
}

}  // namespace
}  // namespace tender::ctl

int main(int argc, char** argv) {
  using namespace tender::ctl;
  std::vector<std::string> words(argv + 1, argv + argc);
  // The CLI's stdout is its contract; diagnostics stay quiet unless asked for.
  tender::log::set_level(tender::log::Level::warn);
  for (const auto& w : words)
    if (w == "--verbose") tender::log::set_level(tender::log::Level::info);
  if (words.empty()) return fail("no command (see tenderctl --help)");
  if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    print_usage(stdout);
    return kExitOk;
  }
  if (words[0] == "--version") {
    std::cout << tender::version_line("tenderctl") << '\n';
    return kExitOk;
  }
  for (const auto& cmd : kCommands) {
    if (words[0] != cmd.group) continue;
    std::size_t consumed = 1;
    if (!cmd.verb.empty()) {
      if (words.size() < 2 || words[1] != cmd.verb) continue;
      consumed = 2;
    }
    const std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(consumed), words.end());
    OperationResult outcome = cmd.operation != nullptr ? cmd.operation(rest) : OperationResult{cmd.run(rest)};
    if (!outcome.result) return fail(outcome.result.error().describe(), outcome.failure_exit);
    std::cout << outcome.result->dump() << '\n';
    return kExitOk;
  }
  return fail("unknown command '" + words[0] + "' (see tenderctl --help)");
}
