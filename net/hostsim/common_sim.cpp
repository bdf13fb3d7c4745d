// Small helpers shared by both APIs: time formatting, approval codes, path splitting.
#include <array>
#include <chrono>
#include <cstdint>
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

namespace {
std::uint64_t mix(std::uint64_t z) {  // SplitMix64's finaliser: a bijection of 64-bit values
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

std::string fullstack_id(std::uint64_t n) {
  static constexpr char kBase32[] = "0123456789abcdefghijklmnopqrstuv";
  std::uint64_t bits = mix(n);  // 12 x 5 + 4 x 4 = 76 bits of room for its 64: injective
  std::string id = "tsim";
  for (int i = 0; i < 16; ++i) {
    const bool letter = i % 4 == 3;
    const std::uint64_t v = bits & (letter ? 0xFU : 0x1FU);
    bits >>= letter ? 4 : 5;
    id += letter ? kBase32[16 + v] : kBase32[v];  // 'g'..'v' for the letter positions
  }
  return id;
}

std::string correlation_uuid(std::uint64_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t a = mix(n);
  std::uint64_t b = mix(~n);
  std::string out;
  // 8-4-4-4-12; the first character of every group after the first, and the middle of the
  // last, are a..f: no run of more than 8 digits, dashes or not.
  static constexpr std::array<int, 5> kGroups{8, 4, 4, 4, 12};
  for (std::size_t g = 0; g < kGroups.size(); ++g) {
    if (g > 0) out += '-';
    for (int i = 0; i < kGroups[g]; ++i) {
      std::uint64_t& src = g < 3 ? a : b;
      const bool letter = (g > 0 && i == 0) || (g == 4 && i == 6);
      const std::uint64_t v = src & 0xF;
      src >>= 4;
      out += letter ? kHex[10 + v % 6] : kHex[v];
    }
  }
  return out;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
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
