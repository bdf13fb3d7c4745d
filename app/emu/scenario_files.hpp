// One scenario's folder of the report: receipts.txt, host.log and display.log, written as the
// scenario goes (a receipt when it prints, a screen when it shows, a host exchange when it
// ends), so a run of a thousand sales holds none of them in memory. expect_host_request reads
// the host log back from its file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>

#include "app/emu/emu_host.hpp"
#include "common/result.hpp"

namespace tender::app::emu {

// One host.log line: {"method","path","body"} and, when the terminal's side logged it,
// "status" and "response", or "error" (all already masked).
std::string host_log_line(const HostRequest& request);
// The inverse of host_log_line; Errc::malformed when the line is not one.
Result<HostRequest> parse_host_log_line(std::string_view line);

class ScenarioFiles {
 public:
  // Creates `dir` and its three files (emptied). `relative` is the folder as the report names
  // it (relative to the report's own folder, e.g. "aurora_settle").
  static Result<ScenarioFiles> open(const std::filesystem::path& dir, std::string relative);

  void receipt(std::string_view text);
  void display(std::string_view line);
  void host(const HostRequest& request);

  // Every host request written so far, in order, read back from host.log.
  Result<void> for_each_request(const std::function<void(const HostRequest&)>& visit);

  // Flushes and closes the files; an io_error when a write failed.
  Result<void> close();

  [[nodiscard]] const std::string& relative() const noexcept { return relative_; }
  [[nodiscard]] std::size_t receipts() const noexcept { return receipts_; }
  [[nodiscard]] std::size_t requests() const noexcept { return requests_; }
  [[nodiscard]] std::size_t screens() const noexcept { return screens_; }

  static constexpr std::string_view kReceipts = "receipts.txt";
  static constexpr std::string_view kHostLog = "host.log";
  static constexpr std::string_view kDisplayLog = "display.log";

 private:
  ScenarioFiles() = default;
  std::filesystem::path dir_;
  std::string relative_;
  std::ofstream receipts_out_;
  std::ofstream host_out_;
  std::ofstream display_out_;
  std::size_t receipts_ = 0;
  std::size_t requests_ = 0;
  std::size_t screens_ = 0;
};

}  // namespace tender::app::emu
