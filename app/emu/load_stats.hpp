// The figures of `tender-emu load`: what each virtual terminal measured, and the fleet's
// totals (sales per second, latency percentiles, errors by kind, peak RSS) as a few human
// lines or one JSON object. Pure: no terminal, no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tender::app::emu {

// One virtual terminal's run.
struct TerminalTally {
  std::size_t index = 0;                 // 0-based, in the order they were started
  std::size_t sales = 0;                 // sales started
  std::size_t approved = 0;
  std::vector<double> latency_ms;        // per sale, from the request to the engine's report
  std::map<std::string, std::size_t> errors;  // by kind: an outcome word, "boot", "deadline", "journal"
  std::size_t journal_sales = 0;         // approved sales its journal holds at the end
  std::vector<std::string> host_references;  // theirs, for matching with the host's ledger
};

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles of `values` (any order); all zero when empty.
Percentiles percentiles(std::vector<double> values);

struct FleetReport {
  std::string host;                      // "aurora (built-in simulator)" or the configured URL
  std::size_t terminals = 0;
  std::size_t sales_per_terminal = 0;
  double seconds = 0;                    // the whole run, from the first sale to the last report
  long peak_rss_kib = 0;                 // getrusage ru_maxrss
  std::vector<TerminalTally> tallies;

  [[nodiscard]] std::size_t sales() const;
  [[nodiscard]] std::size_t approved() const;
  [[nodiscard]] std::size_t journal_sales() const;
  [[nodiscard]] std::map<std::string, std::size_t> errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] Percentiles latency() const;
  [[nodiscard]] double sales_per_second() const;
};

// A few lines for a person.
std::string human_text(const FleetReport& report);
// One JSON object for tools (with each terminal's tally and its host references).
std::string json_text(const FleetReport& report);

}  // namespace tender::app::emu
