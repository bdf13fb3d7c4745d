// The simulator's clock, injected so card expiry and token lifetimes are deterministic in tests.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace tender::net::hostsim {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  [[nodiscard]] std::chrono::system_clock::time_point now() const override { return now_; }
  void set(std::chrono::system_clock::time_point t) { now_ = t; }
  void advance(std::chrono::system_clock::duration d) { now_ += d; }

 private:
  std::chrono::system_clock::time_point now_;
};

// The system clock moved forward by an offset that only grows: the emulator's world clock,
// which a scenario advances to let a window pass (the host and the terminal both see it).
// Thread-safe: the host's thread reads it while the runner's advances it.
class ShiftedClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now() + std::chrono::seconds{offset_.load()};
  }
  void advance(std::chrono::seconds by) {
    if (by.count() > 0) offset_ += by.count();
  }

 private:
  std::atomic<std::int64_t> offset_{0};
};

// "2025-01-09T13:27:50.0330992Z": RFC 3339 UTC with 7 fractional digits, as the documents show.
std::string format_rfc3339(std::chrono::system_clock::time_point t);

// Builds a UTC time point from a civil date and time (for tests and configuration).
std::chrono::system_clock::time_point utc(int year, unsigned month, unsigned day, unsigned hour = 0,
                                          unsigned minute = 0, unsigned second = 0);

}  // namespace tender::net::hostsim
