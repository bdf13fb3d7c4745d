// What a certification run hands in: a JUnit XML report, a text summary (one line per
// scenario, then "N passed, N failed", followed by ", N skipped" when some were skipped), and
// per scenario that ran the receipts, the masked host message log and the display log.
#pragma once

#include <filesystem>
#include <vector>

#include "app/emu/runner.hpp"
#include "common/result.hpp"

namespace tender::app::emu {

struct Counts {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;
};
Counts count(const std::vector<ScenarioResult>& results);
// "N passed, N failed", then ", N skipped" when N > 0 (what CI parsers read).
std::string counts_line(const Counts& counts);
// "PASS host name", "FAIL host name -- first failure", "SKIP host name -- why".
std::string result_line(const ScenarioResult& result);

Result<void> write_report(const std::filesystem::path& dir, const std::vector<ScenarioResult>& results);
std::string summary_text(const std::vector<ScenarioResult>& results);
std::string junit_xml(const std::vector<ScenarioResult>& results);

}  // namespace tender::app::emu
