// Shared plumbing of tenderctl: argument parsing and the output contract
// (JSON on stdout, upper-case hex; exit 2 with one line on stderr for bad input).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tender::ctl {

using Json = nlohmann::ordered_json;  // keys in the order the contract lists them

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitFailed = 1;

struct Args {
  std::vector<std::string> positional;
  std::set<std::string, std::less<>> flags;  // "--verbose": options without a value
  std::map<std::string, std::string, std::less<>> options;  // "--pin" -> "1234"

  [[nodiscard]] std::optional<std::string_view> option(std::string_view name) const;
  // Errc::invalid_argument naming the missing option.
  [[nodiscard]] Result<std::string_view> required(std::string_view name) const;
};

// Options in `allowed` take a value ("--name VALUE"), those in `flags` take none;
// anything else starting with "--", a repeated option, or a missing value is an error.
Result<Args> parse_args(const std::vector<std::string>& words, const std::set<std::string, std::less<>>& allowed,
                        const std::set<std::string, std::less<>>& flags = {});

// A command produces JSON or an error; main() prints either.
using CommandResult = Result<Json>;

CommandResult track_parse(const std::vector<std::string>& words);
CommandResult tlv_decode(const std::vector<std::string>& words);
CommandResult pinblock(const std::vector<std::string>& words);
CommandResult pinblock_encrypt(const std::vector<std::string>& words);
CommandResult dukpt_derive(const std::vector<std::string>& words);

// The commands on the terminal's journal and host (cmd_engine.cpp) can fail after their
// input was accepted (the journal does not open, the host cannot be set up or refuses):
// that is kExitFailed, so scripts can tell a typo from an outage. Bad input stays kExitBadInput.
struct OperationResult {
  CommandResult result;
  int failure_exit = kExitBadInput;
};

OperationResult journal_list(const std::vector<std::string>& words);
OperationResult queue_list(const std::vector<std::string>& words);
OperationResult queue_flush(const std::vector<std::string>& words);
OperationResult settle(const std::vector<std::string>& words);

}  // namespace tender::ctl
