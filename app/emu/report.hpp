// What a certification run hands in: a JUnit XML report (valid against the Jenkins JUnit
// schema, tests/data/junit/jenkins-junit.xsd), a text summary (one line per scenario, then
// "N passed, N failed", followed by ", N skipped" and ", N errors" when there are some), and
// per scenario that ran its receipts, masked host message log and display log.
//
// The report is written as the run goes: a scenario's files while it runs (scenario_files.hpp),
// its summary line and test case when it ends, so a long run holds one small record per
// scenario at most; junit.xml itself is put together at the end, when its counts are known.
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "app/emu/runner.hpp"
#include "app/emu/scenario_files.hpp"
#include "common/result.hpp"

namespace tender::app::emu {

struct Counts {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;
  std::size_t errors = 0;  // files that could not be read or parsed
  void add(const ScenarioResult& result);
};
Counts count(const std::vector<ScenarioResult>& results);
// "N passed, N failed", then ", N skipped" and ", N errors" when N > 0 (what CI parsers read).
std::string counts_line(const Counts& counts);
// "PASS host name", "FAIL host name -- first failure", "SKIP host name -- why",
// "ERROR file -- what is wrong with it".
std::string result_line(const ScenarioResult& result);

// The run as junit.xml's <testsuite> describes it.
struct RunInfo {
  std::string timestamp;  // ISO 8601, UTC, no zone ("2026-12-08T01:45:00"); empty: left out
  std::string hostname;   // empty: left out
  double seconds = 0;     // the whole run; 0: the scenarios' sum
};
// "2026-12-08T01:45:00": now, in UTC.
std::string utc_timestamp();
std::string host_name();

std::string summary_text(const std::vector<ScenarioResult>& results);
// One <testcase>: its <skipped>, <error> or <failure>, and a <system-out> naming its files.
std::string junit_case(const ScenarioResult& result);
std::string junit_xml(const std::vector<ScenarioResult>& results, const RunInfo& info = {});

// A scenario file that could not be read or parsed: a result in error, naming the file.
ScenarioResult file_error(const std::string& file, const std::string& message);

class ReportWriter {
 public:
  // Creates `dir`, an empty summary.txt and the file the test cases gather in.
  static Result<ReportWriter> open(const std::filesystem::path& dir, RunInfo info);
  ReportWriter(ReportWriter&&) noexcept = default;
  ReportWriter& operator=(ReportWriter&&) noexcept = default;

  // The folder of a scenario's files: its file's stem (made unique within the run).
  Result<ScenarioFiles> files_for(const Scenario& scenario);
  // The scenario's summary line and test case, on disk when this returns.
  Result<void> add(const ScenarioResult& result);
  // The counts line, and junit.xml from the gathered test cases.
  Result<void> finish(double seconds);

  [[nodiscard]] const Counts& counts() const noexcept { return counts_; }
  [[nodiscard]] std::size_t transactions() const noexcept { return transactions_; }

 private:
  ReportWriter() = default;
  std::filesystem::path dir_;
  RunInfo info_;
  std::ofstream summary_;
  std::ofstream cases_;
  std::set<std::string> folders_;
  Counts counts_;
  std::size_t tests_ = 0;
  std::size_t transactions_ = 0;
  double case_seconds_ = 0;
  bool finished_ = false;
};

}  // namespace tender::app::emu
