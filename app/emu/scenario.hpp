// Scenario files for tender-emu (tests/scenarios/README.md): a stable, documented JSON
// format. Parsing is strict: an unknown step, a wrong type or a bad amount is a typed error
// naming the step, so a certification team learns of a typo before the run, not after.
// Every member is read by its type (nothing a file holds makes the parser throw), and a
// message names the step and the field, never the value: a value may be card data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/journal/journal.hpp"
#include "common/money.hpp"
#include "common/result.hpp"
#include "net/host/host_kind.hpp"

namespace tender::app::emu {

using net::host::HostKind;

enum class StepKind {
  // transactions (start one; the following input steps answer its prompts)
  sale, preauth, verify, refund, void_, capture, tip_adjust, settle, flush,
  // what the cardholder or the clerk does
  insert, swipe, keyed, key, pin, remove_card,
  // the world
  host_behaviour, power_cut, restart, advance_clock, other_terminal_sale,
  // checks
  expect_display, expect_outcome, expect_host_request, expect_receipt, expect_queue, expect_settlement,
};
std::string_view to_string(StepKind kind) noexcept;

// expect_settlement: what the last settlement closed, as the terminal's journal counted its
// batch (the settlement report's figures). Only what is given is checked.
struct SettlementKindCheck {
  TxnKind kind = TxnKind::sale;
  std::optional<std::int64_t> count;
  std::optional<Money> total;  // what the rows of this kind settle for (approved amounts)
};
struct SettlementCheck {
  std::optional<bool> accepted;
  std::optional<std::int64_t> transactions;
  std::vector<SettlementKindCheck> kinds;
};

struct Step {
  StepKind kind = StepKind::sale;
  std::size_t index = 0;              // 1-based position in the file, for messages
  std::string text;                   // card name / track / key / PIN / behaviour / outcome / substring / "last"
  std::optional<std::string> amount;  // decimal text of sale/refund/capture/tip_adjust/preauth
  std::vector<std::string> texts;     // expect_receipt
  std::string path;                   // expect_host_request: the path
  std::string method;                 // expect_host_request: the method; empty: any
  // expect_host_request: the body subset; null (none given, and no allocation in each of a
  // long scenario's steps) or {}: any body.
  nlohmann::json json;
  std::optional<std::int64_t> count;  // expect_host_request: exactly this many match; none: at least one
  std::int64_t number = 0;            // expect_queue; advance_clock (seconds); host_behaviour's *N
  SettlementCheck settlement;         // expect_settlement
};

// The scenario's "config" block: overrides of the emulator's terminal configuration.
struct ScenarioConfig {
  enum class Partial { ask, accept, reverse };
  std::optional<bool> surcharge;
  std::optional<Partial> partial;
  std::optional<std::int64_t> offline_swipe_limit;  // minor units
  std::optional<std::int64_t> floor_limit;          // minor units
  std::optional<std::chrono::milliseconds> prompt_timeout;
  std::optional<std::chrono::milliseconds> host_deadline;
  std::optional<bool> print_customer_copy;
};

struct Scenario {
  std::string name;
  std::string file;
  HostKind host = HostKind::aurora;
  ScenarioConfig config;
  std::vector<Step> steps;
};

// `text` quoted when it is a plain name (a letter first, then letters, digits, '_' or '-',
// at most 40 characters and 3 digits): a typo of a step or field name. Anything else,
// which may be card data, is not shown.
std::string shown_name(std::string_view text);

// Errc::malformed with "step N: ..." or the field at fault, or where the JSON stops parsing
// ("not JSON: syntax error at line L, column C"); the file's text is never quoted.
Result<Scenario> parse_scenario(std::string_view text, std::string file);
Result<Scenario> load_scenario(const std::string& path);

}  // namespace tender::app::emu
