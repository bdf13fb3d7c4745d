// Scenario files for tender-emu (README.md, "Scenario files"): a stable, documented JSON
// format. Parsing is strict: an unknown step, a wrong type or a bad amount is a typed error
// naming the step, so a certification team learns of a typo before the run, not after.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/money.hpp"
#include "common/result.hpp"

namespace tender::app::emu {

enum class HostChoice { aurora, fullstack };

enum class StepKind {
  // transactions (start one; the following input steps answer its prompts)
  sale, preauth, verify, refund, void_, capture, tip_adjust, settle, flush,
  // what the cardholder or the clerk does
  insert, swipe, keyed, key, pin, remove_card,
  // the world
  host_behaviour, power_cut, restart,
  // checks
  expect_display, expect_outcome, expect_host_request, expect_receipt, expect_queue,
};
std::string_view to_string(StepKind kind) noexcept;

struct Step {
  StepKind kind = StepKind::sale;
  std::size_t index = 0;              // 1-based position in the file, for messages
  std::string text;                   // card name / track / key / PIN / behaviour / outcome / substring / "last"
  std::optional<std::string> amount;  // decimal text of sale/refund/capture/tip_adjust/preauth
  std::vector<std::string> texts;     // expect_receipt
  nlohmann::json json;                // expect_host_request {"path", "json"}
  std::int64_t number = 0;            // expect_queue
};

struct Scenario {
  std::string name;
  std::string file;
  HostChoice host = HostChoice::aurora;
  nlohmann::json config = nlohmann::json::object();  // overrides of the terminal configuration
  std::vector<Step> steps;
};

// Errc::malformed with "step N: ..." or the field at fault.
Result<Scenario> parse_scenario(std::string_view text, std::string file);
Result<Scenario> load_scenario(const std::string& path);

}  // namespace tender::app::emu
