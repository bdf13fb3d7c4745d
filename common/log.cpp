#include "common/log.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>

#include <sys/stat.h>
#include <unistd.h>

#include "common/pan.hpp"

namespace tender::log {
namespace {

// sd-daemon(3)'s priority prefixes, syslog's numbers: the journal files each line at its
// level (`journalctl -p warning` works) instead of all at "info".
constexpr std::array<std::string_view, 4> kSyslogPrefix = {"<7>", "<6>", "<4>", "<3>"};

class StderrSink final : public Sink {
 public:
  void write(Level lvl, std::string_view component, std::string_view line) override {
    if (stderr_is_journal()) {
      const std::string_view prefix = kSyslogPrefix[static_cast<std::size_t>(lvl)];
      std::fprintf(stderr, "%.*s%.*s: %.*s\n", static_cast<int>(prefix.size()), prefix.data(),
                   static_cast<int>(component.size()), component.data(), static_cast<int>(line.size()), line.data());
      return;
    }
    std::fprintf(stderr, "[%.*s] %.*s: %.*s\n", static_cast<int>(to_string(lvl).size()),
                 to_string(lvl).data(), static_cast<int>(component.size()), component.data(),
                 static_cast<int>(line.size()), line.data());
  }
};

StderrSink g_stderr_sink;
std::atomic<Sink*> g_sink{&g_stderr_sink};
std::atomic<Level> g_level{Level::info};

constexpr std::string_view kTrackRedacted = "[track data redacted]";
// The shortest digit run treated as a possible PAN. ISO/IEC 7812 PANs start at 12
// digits for every acquirer we serve; longer runs (up to any length) are masked too,
// since a PAN may sit inside them.
constexpr std::size_t kMinPanRun = 12;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_upper_hex(char c) noexcept { return is_digit(c) || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string_view to_string(Level lvl) noexcept {
  static constexpr std::array<std::string_view, 4> names = {"debug", "info", "warn", "error"};
  return names[static_cast<std::size_t>(lvl)];
}

bool stderr_is_journal() noexcept {
  // systemd.exec(5): JOURNAL_STREAM is "DEVICE:INODE" of the stream it connected to stderr;
  // a child whose stderr was redirected elsewhere inherits the variable, so compare.
  static const bool journal = [] {
    const char* value = std::getenv("JOURNAL_STREAM");
    if (value == nullptr) return false;
    struct stat st{};
    if (::fstat(STDERR_FILENO, &st) != 0) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(value, "%llu:%llu", &dev, &ino) != 2) return false;
    return dev == static_cast<unsigned long long>(st.st_dev) && ino == static_cast<unsigned long long>(st.st_ino);
  }();
  return journal;
}

void set_sink(Sink* sink) noexcept { g_sink.store(sink ? sink : &g_stderr_sink); }
void set_level(Level lvl) noexcept { g_level.store(lvl); }
Level level() noexcept { return g_level.load(); }

std::string scrub(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    // A run of digits, allowing single spaces or dashes between digits
    // ("4111 1111 1111 1111" is as much a PAN as "4111111111111111").
    std::string digits;
    std::size_t j = i;
    while (j < text.size()) {
      if (is_digit(text[j])) {
        digits += text[j++];
      } else if ((text[j] == ' ' || text[j] == '-') && j + 1 < text.size() &&
                 is_digit(text[j + 1]) && !digits.empty()) {
        ++j;
      } else {
        break;
      }
    }
    const char next = j < text.size() ? text[j] : '\0';
    const bool pan_sized = digits.size() >= kMinPanRun;
    if (pan_sized && digits.size() <= kPanMaxLength && next == '^') {
      // Track 1 (ISO/IEC 7813 format B). The name (up to 26 characters, spaces
      // allowed) ends at the second '^'; the data after it runs to the end
      // sentinel or, when a reader stripped it, to the next white space. Without a
      // second separator we cannot tell where the track ends: drop the line's rest.
      out += kTrackRedacted;
      const std::size_t name_end = text.find('^', j + 1);
      if (name_end != std::string_view::npos && name_end - j <= 27) {
        j = name_end + 1;
        while (j < text.size() && text[j] != '?' && text[j] != ' ' && text[j] != '\t' &&
               text[j] != '\n')
          ++j;
      } else {
        while (j < text.size() && text[j] != '?' && text[j] != '\n') ++j;
      }
      if (j < text.size() && text[j] == '?') ++j;
    } else if (pan_sized && digits.size() <= kPanMaxLength && (next == '=' || next == 'D')) {
      // Track 2, or its EMV tag 57 form with 'D' as separator and 'F' padding.
      out += kTrackRedacted;
      ++j;
      while (j < text.size() && (is_upper_hex(text[j]) || text[j] == '=' || text[j] == '?')) ++j;
    } else if (pan_sized) {
      out += mask_pan(digits);
    } else {
      out.append(text.substr(i, j - i));
    }
    secure_zero(digits.data(), digits.size());
    i = j;
  }
  return out;
}

void emit(Level lvl, std::string_view component, std::string_view message) {
  if (lvl < level()) return;
  std::string clean = scrub(message);
  g_sink.load()->write(lvl, component, clean);
}

}  // namespace tender::log
