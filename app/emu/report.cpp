#include "app/emu/report.hpp"

#include <fstream>
#include <iomanip>
#include <sstream>

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;

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

// A folder name for a scenario: its file's stem, else its name, reduced to [A-Za-z0-9_-].
std::string folder_of(const ScenarioResult& r) {
  std::string base = r.file.empty() ? r.name : fs::path(r.file).stem().string();
  for (char& c : base) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  return base.empty() ? "scenario" : base;
}

Result<void> write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(Errc::io_error, "cannot write " + path.string());
  out << text;
  if (!out) return make_error(Errc::io_error, "cannot write " + path.string());
  return ok();
}

}  // namespace

Counts count(const std::vector<ScenarioResult>& results) {
  Counts c;
  for (const auto& r : results) {
    if (r.skipped) ++c.skipped;
    else if (r.passed) ++c.passed;
    else ++c.failed;
  }
  return c;
}

std::string counts_line(const Counts& c) {
  std::string line = std::to_string(c.passed) + " passed, " + std::to_string(c.failed) + " failed";
  if (c.skipped > 0) line += ", " + std::to_string(c.skipped) + " skipped";
  return line;
}

std::string result_line(const ScenarioResult& r) {
  std::string line = std::string(r.skipped ? "SKIP " : r.passed ? "PASS " : "FAIL ") + r.host + " " + r.name;
  if (r.skipped) line += " -- " + r.skipped_because;
  else if (!r.passed && !r.failures.empty()) line += " -- " + r.failures.front();
  return line;
}

std::string summary_text(const std::vector<ScenarioResult>& results) {
  std::ostringstream out;
  for (const auto& r : results) out << result_line(r) << "\n";
  out << counts_line(count(results)) << "\n";
  return out.str();
}

std::string junit_xml(const std::vector<ScenarioResult>& results) {
  const Counts c = count(results);
  double total = 0;
  for (const auto& r : results) total += r.seconds;
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"tender-emu\" tests=\"" << results.size() << "\" failures=\"" << c.failed << "\" skipped=\""
      << c.skipped << "\" time=\"" << total << "\">\n";
  out << "  <testsuite name=\"tender-emu\" tests=\"" << results.size() << "\" failures=\"" << c.failed
      << "\" errors=\"0\" skipped=\"" << c.skipped << "\" time=\"" << total << "\">\n";
  for (const auto& r : results) {
    out << "    <testcase classname=\"" << xml_escape(r.host) << "\" name=\"" << xml_escape(r.name) << "\" file=\""
        << xml_escape(r.file) << "\" time=\"" << r.seconds << "\"";
    if (r.skipped) {
      out << ">\n      <skipped message=\"" << xml_escape(r.skipped_because) << "\"/>\n    </testcase>\n";
      continue;
    }
    if (r.passed) {
      out << "/>\n";
      continue;
    }
    out << ">\n      <failure message=\"" << xml_escape(r.failures.empty() ? "failed" : r.failures.front()) << "\">";
    for (const auto& f : r.failures) out << xml_escape(f) << "\n";
    out << "</failure>\n    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

Result<void> write_report(const fs::path& dir, const std::vector<ScenarioResult>& results) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::io_error, "cannot create " + dir.string());
  if (auto r = write_file(dir / "junit.xml", junit_xml(results)); !r) return r;
  if (auto r = write_file(dir / "summary.txt", summary_text(results)); !r) return r;
  for (const auto& r : results) {
    if (r.skipped) continue;  // nothing ran: no receipts, host log or display
    const fs::path sub = dir / folder_of(r);
    fs::create_directories(sub, ec);
    if (ec) return make_error(Errc::io_error, "cannot create " + sub.string());
    std::string receipts;
    for (const auto& text : r.receipts) receipts += text + "\n" + std::string(32, '=') + "\n";
    if (auto w = write_file(sub / "receipts.txt", receipts); !w) return w;
    std::string log;
    for (const auto& req : r.host_log) {
      nlohmann::json line{{"method", req.method}, {"path", req.path}, {"body", req.body}};
      if (req.status) {
        line["status"] = *req.status;
        line["response"] = req.response;
      }
      if (req.error) line["error"] = *req.error;
      log += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    if (auto w = write_file(sub / "host.log", log); !w) return w;
    std::string display;
    for (const auto& line : r.display) display += line + "\n";
    if (auto w = write_file(sub / "display.log", display); !w) return w;
  }
  return ok();
}

}  // namespace tender::app::emu
