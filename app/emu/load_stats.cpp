#include "app/emu/load_stats.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

namespace tender::app::emu {

Percentiles percentiles(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const auto rank = [&](double p) {
    const auto n = static_cast<double>(values.size());
    const auto r = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
    return values[std::clamp<std::size_t>(r, 1, values.size()) - 1];
  };
  return {rank(50), rank(90), rank(99), values.back()};
}

std::size_t FleetReport::sales() const {
  std::size_t n = 0;
  for (const auto& t : tallies) n += t.sales;
  return n;
}

std::size_t FleetReport::approved() const {
  std::size_t n = 0;
  for (const auto& t : tallies) n += t.approved;
  return n;
}

std::size_t FleetReport::journal_sales() const {
  std::size_t n = 0;
  for (const auto& t : tallies) n += t.journal_sales;
  return n;
}

std::map<std::string, std::size_t> FleetReport::errors() const {
  std::map<std::string, std::size_t> all;
  for (const auto& t : tallies) {
    for (const auto& [kind, n] : t.errors) all[kind] += n;
  }
  return all;
}

std::size_t FleetReport::error_count() const {
  std::size_t n = 0;
  for (const auto& [kind, count] : errors()) n += count;
  return n;
}

Percentiles FleetReport::latency() const {
  std::vector<double> all;
  for (const auto& t : tallies) all.insert(all.end(), t.latency_ms.begin(), t.latency_ms.end());
  return percentiles(std::move(all));
}

double FleetReport::sales_per_second() const { return seconds > 0 ? static_cast<double>(approved()) / seconds : 0.0; }

std::string human_text(const FleetReport& r) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  const Percentiles p = r.latency();
  out << r.terminals << " terminals x " << r.sales_per_terminal << " sales against " << r.host << "\n";
  out << r.approved() << " of " << r.sales() << " sales approved in " << std::setprecision(2) << r.seconds << " s: "
      << std::setprecision(1) << r.sales_per_second() << " sales/s\n";
  out << "latency ms: p50 " << p.p50 << ", p90 " << p.p90 << ", p99 " << p.p99 << ", max " << p.max << "\n";
  out << "errors: " << r.error_count();
  const auto errors = r.errors();
  if (!errors.empty()) {
    out << " (";
    bool first = true;
    for (const auto& [kind, n] : errors) {
      out << (first ? "" : ", ") << kind << " " << n;
      first = false;
    }
    out << ")";
  }
  out << "\n";
  out << "journals: " << r.journal_sales() << " approved sales recorded; peak RSS " << r.peak_rss_kib / 1024 << " MiB\n";
  return out.str();
}

std::string json_text(const FleetReport& r) {
  using Json = nlohmann::json;
  const Percentiles p = r.latency();
  Json terminals = Json::array();
  for (const auto& t : r.tallies) {
    const Percentiles tp = percentiles(t.latency_ms);
    terminals.push_back({{"index", t.index},
                         {"sales", t.sales},
                         {"approved", t.approved},
                         {"journal_sales", t.journal_sales},
                         {"errors", t.errors},
                         {"latency_ms", {{"p50", tp.p50}, {"max", tp.max}}},
                         {"host_references", t.host_references}});
  }
  const Json out = {{"host", r.host},
                    {"terminals", r.terminals},
                    {"sales_per_terminal", r.sales_per_terminal},
                    {"sales", r.sales()},
                    {"approved", r.approved()},
                    {"journal_sales", r.journal_sales()},
                    {"seconds", r.seconds},
                    {"sales_per_second", r.sales_per_second()},
                    {"latency_ms", {{"p50", p.p50}, {"p90", p.p90}, {"p99", p.p99}, {"max", p.max}}},
                    {"errors", r.errors()},
                    {"error_count", r.error_count()},
                    {"peak_rss_kib", r.peak_rss_kib},
                    {"per_terminal", terminals}};
  return out.dump() + "\n";
}

}  // namespace tender::app::emu
