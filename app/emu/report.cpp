#include "app/emu/report.hpp"

#include <unistd.h>

#include <cctype>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;

// The test cases gather here until the counts junit.xml opens with are known.
constexpr std::string_view kCasesFile = ".junit-cases.xml";

std::string xml_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no place for other control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string seconds_text(double seconds) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << seconds;
  return out.str();
}

// A folder name for a scenario: its file's stem, else its name, reduced to [A-Za-z0-9_-].
std::string folder_of(const Scenario& s) {
  std::string base = s.file.empty() ? s.name : fs::path(s.file).stem().string();
  for (char& c : base) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  return base.empty() ? "scenario" : base;
}

// The <testsuite> and <testsuites> opening tags with the run's counts. The Jenkins schema
// has `skipped` on testsuite only, and timestamp and hostname there too.
std::string junit_head(const Counts& c, std::size_t tests, const RunInfo& info, double seconds) {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"tender-emu\" tests=\"" << tests << "\" failures=\"" << c.failed << "\" errors=\"" << c.errors
      << "\" time=\"" << seconds_text(seconds) << "\">\n";
  out << "  <testsuite name=\"tender-emu\" tests=\"" << tests << "\" failures=\"" << c.failed << "\" errors=\"" << c.errors
      << "\" skipped=\"" << c.skipped << "\" time=\"" << seconds_text(seconds) << "\"";
  if (!info.timestamp.empty()) out << " timestamp=\"" << xml_escape(info.timestamp) << "\"";
  if (!info.hostname.empty()) out << " hostname=\"" << xml_escape(info.hostname) << "\"";
  out << ">\n";
  return out.str();
}

constexpr std::string_view kJunitTail = "  </testsuite>\n</testsuites>\n";

}  // namespace

void Counts::add(const ScenarioResult& r) {
  if (r.error) ++errors;
  else if (r.skipped) ++skipped;
  else if (r.passed) ++passed;
  else ++failed;
}

Counts count(const std::vector<ScenarioResult>& results) {
  Counts c;
  for (const auto& r : results) c.add(r);
  return c;
}

std::string counts_line(const Counts& c) {
  std::string line = std::to_string(c.passed) + " passed, " + std::to_string(c.failed) + " failed";
  if (c.skipped > 0) line += ", " + std::to_string(c.skipped) + " skipped";
  if (c.errors > 0) line += ", " + std::to_string(c.errors) + " errors";
  return line;
}

std::string result_line(const ScenarioResult& r) {
  if (r.error) return "ERROR " + r.file + " -- " + *r.error;
  std::string line = std::string(r.skipped ? "SKIP " : r.passed ? "PASS " : "FAIL ") + r.host + " " + r.name;
  if (r.skipped) line += " -- " + r.skipped_because;
  else if (!r.passed && !r.failures.empty()) line += " -- " + r.failures.front();
  return line;
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return text;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name[0] != '\0' ? std::string(name) : std::string("localhost");
}

std::string summary_text(const std::vector<ScenarioResult>& results) {
  std::ostringstream out;
  for (const auto& r : results) out << result_line(r) << "\n";
  out << counts_line(count(results)) << "\n";
  return out.str();
}

ScenarioResult file_error(const std::string& file, const std::string& message) {
  ScenarioResult r;
  r.name = fs::path(file).filename().string();
  r.file = file;
  r.passed = false;
  // load_scenario() names the file first; the test case names it already.
  const std::string prefix = file + ": ";
  r.error = message.starts_with(prefix) ? message.substr(prefix.size()) : message;
  return r;
}

std::string junit_case(const ScenarioResult& r) {
  std::ostringstream out;
  // classname: the host (what a CI report groups by); a file that did not parse has none.
  out << "    <testcase classname=\"" << xml_escape(r.error ? "scenario-file" : r.host) << "\" name=\"" << xml_escape(r.name)
      << "\" time=\"" << seconds_text(r.seconds) << "\">\n";
  if (r.error) {
    out << "      <error type=\"malformed\" message=\"" << xml_escape(*r.error) << "\">" << xml_escape(r.file + ": " + *r.error)
        << "</error>\n";
  } else if (r.skipped) {
    out << "      <skipped message=\"" << xml_escape(r.skipped_because) << "\"/>\n";
  } else if (!r.passed) {
    out << "      <failure message=\"" << xml_escape(r.failures.empty() ? "failed" : r.failures.front()) << "\">";
    for (const auto& f : r.failures) out << xml_escape(f) << "\n";
    out << "</failure>\n";
  }
  // The scenario's file and, when it ran, the files it wrote (relative to junit.xml's folder).
  std::ostringstream sys;
  sys << "scenario: " << r.file << "\n";
  if (!r.folder.empty()) {
    sys << "receipts: " << r.folder << "/" << ScenarioFiles::kReceipts << " (" << r.receipts << " printed)\n";
    sys << "host log: " << r.folder << "/" << ScenarioFiles::kHostLog << " (" << r.host_requests << " requests)\n";
    sys << "display log: " << r.folder << "/" << ScenarioFiles::kDisplayLog << " (" << r.screens << " screens)\n";
    sys << "transactions: " << r.transactions << "\n";
  }
  out << "      <system-out>" << xml_escape(sys.str()) << "</system-out>\n";
  out << "    </testcase>\n";
  return out.str();
}

std::string junit_xml(const std::vector<ScenarioResult>& results, const RunInfo& info) {
  double total = 0;
  for (const auto& r : results) total += r.seconds;
  std::string out = junit_head(count(results), results.size(), info, info.seconds > 0 ? info.seconds : total);
  for (const auto& r : results) out += junit_case(r);
  out += kJunitTail;
  return out;
}

Result<ReportWriter> ReportWriter::open(const fs::path& dir, RunInfo info) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::io_error, "cannot create " + dir.string());
  ReportWriter w;
  w.dir_ = dir;
  w.info_ = std::move(info);
  w.summary_.open(dir / "summary.txt", std::ios::binary | std::ios::trunc);
  if (!w.summary_) return make_error(Errc::io_error, "cannot write " + (dir / "summary.txt").string());
  w.cases_.open(dir / kCasesFile, std::ios::binary | std::ios::trunc);
  if (!w.cases_) return make_error(Errc::io_error, "cannot write " + (dir / kCasesFile).string());
  // A junit.xml of an earlier run must not pass for this one's while it runs.
  fs::remove(dir / "junit.xml", ec);
  return w;
}

Result<ScenarioFiles> ReportWriter::files_for(const Scenario& scenario) {
  const std::string base = folder_of(scenario);
  std::string folder = base;
  for (int n = 2; folders_.count(folder) > 0; ++n) folder = base + "-" + std::to_string(n);
  folders_.insert(folder);
  return ScenarioFiles::open(dir_ / folder, folder);
}

Result<void> ReportWriter::add(const ScenarioResult& result) {
  counts_.add(result);
  ++tests_;
  transactions_ += result.transactions;
  case_seconds_ += result.seconds;
  summary_ << result_line(result) << "\n";
  summary_.flush();
  cases_ << junit_case(result);
  cases_.flush();
  if (!summary_ || !cases_) return make_error(Errc::io_error, "cannot write the report in " + dir_.string());
  return ok();
}

Result<void> ReportWriter::finish(double seconds) {
  if (finished_) return ok();
  finished_ = true;
  summary_ << counts_line(counts_) << "\n";
  summary_.close();
  cases_.close();
  if (summary_.fail() || cases_.fail()) return make_error(Errc::io_error, "cannot write the report in " + dir_.string());
  // junit.xml: the head with the counts, the gathered cases copied through, the tail; written
  // aside and renamed, so a reader never sees half of it.
  const fs::path junit = dir_ / "junit.xml";
  const fs::path partial = dir_ / "junit.xml.part";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    std::ifstream cases(dir_ / kCasesFile, std::ios::binary);
    if (!out || !cases) return make_error(Errc::io_error, "cannot write " + junit.string());
    out << junit_head(counts_, tests_, info_, seconds > 0 ? seconds : case_seconds_);
    if (cases.peek() != std::ifstream::traits_type::eof()) out << cases.rdbuf();
    out << kJunitTail;
    out.close();
    if (out.fail()) return make_error(Errc::io_error, "cannot write " + junit.string());
  }
  std::error_code ec;
  fs::rename(partial, junit, ec);
  if (ec) return make_error(Errc::io_error, "cannot write " + junit.string());
  fs::remove(dir_ / kCasesFile, ec);
  return ok();
}

}  // namespace tender::app::emu
