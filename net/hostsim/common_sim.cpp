// Small helpers shared by both APIs: time formatting, approval codes, path splitting.
#include <chrono>
#include <cstdio>

#include "net/hostsim/api.hpp"
#include "net/hostsim/clock.hpp"

namespace tender::net::hostsim {

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<nanoseconds>(t - day)};
  const auto ticks = (hms.subseconds().count() / 100);  // 100 ns units: 7 digits
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  std::string out(buf);
  std::snprintf(buf, sizeof buf, ".%07lld", static_cast<long long>(ticks));
  out.insert(out.size() - 1, buf);
  return out;
}

std::chrono::system_clock::time_point utc(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                                          unsigned second) {
  using namespace std::chrono;
  const sys_days date = year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  return system_clock::time_point{date} + hours{hour} + minutes{minute} + seconds{second};
}

std::string approval_code(std::string_view transaction_id) {
  std::uint32_t h = 2166136261u;
  for (char c : transaction_id) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  std::string code = "S";
  for (int i = 0; i < 5; ++i) {
    code += kAlphabet[h % 34];
    h /= 34;
  }
  return code;
}

std::string_view path_rest(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return {};
  path.remove_prefix(prefix.size());
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return path;
}

}  // namespace tender::net::hostsim
