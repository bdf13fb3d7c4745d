// What a certification run hands in: a JUnit XML report, a text summary (one line per
// scenario, then "N passed, N failed"), and per scenario the receipts and the masked host
// message log.
#pragma once

#include <filesystem>
#include <vector>

#include "app/emu/runner.hpp"
#include "common/result.hpp"

namespace tender::app::emu {

Result<void> write_report(const std::filesystem::path& dir, const std::vector<ScenarioResult>& results);
std::string summary_text(const std::vector<ScenarioResult>& results);
std::string junit_xml(const std::vector<ScenarioResult>& results);

}  // namespace tender::app::emu
