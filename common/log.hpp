// Logging that cannot leak card data. Every line, whatever its source, is
// scrubbed before it reaches a sink: digit runs that could be a PAN are cut to
// first 6 / last 4, and anything shaped like track 1 or track 2 data is dropped.
// Secret types print "***" on their own, so this is the second line of defence.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace tender::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

std::string_view to_string(Level level) noexcept;

class Sink {
 public:
  virtual ~Sink() = default;
  // `line` has already been scrubbed.
  virtual void write(Level level, std::string_view component, std::string_view line) = 0;
};

// Whether stderr is systemd's journal stream (JOURNAL_STREAM names it). The default sink then
// writes "<N>component: line" with N the syslog priority (sd-daemon(3)), else "[level] ...".
[[nodiscard]] bool stderr_is_journal() noexcept;

// Null restores the default sink (stderr). The sink must outlive its use.
void set_sink(Sink* sink) noexcept;
void set_level(Level level) noexcept;
[[nodiscard]] Level level() noexcept;

// The scrubber itself, exposed for tests and for other outputs (receipts, reports).
std::string scrub(std::string_view text);

void emit(Level level, std::string_view component, std::string_view message);

template <class... Args>
void write(Level lvl, std::string_view component, const Args&... args) {
  if (lvl < level()) return;
  std::ostringstream os;
  (os << ... << args);
  emit(lvl, component, os.str());
}

template <class... Args>
void debug(std::string_view component, const Args&... args) { write(Level::debug, component, args...); }
template <class... Args>
void info(std::string_view component, const Args&... args) { write(Level::info, component, args...); }
template <class... Args>
void warn(std::string_view component, const Args&... args) { write(Level::warn, component, args...); }
template <class... Args>
void error(std::string_view component, const Args&... args) { write(Level::error, component, args...); }

}  // namespace tender::log
