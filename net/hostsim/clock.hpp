// The simulator's clock, injected so card expiry and token lifetimes are deterministic in tests.
#pragma once

#include <chrono>
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

// "2025-01-09T13:27:50.0330992Z": RFC 3339 UTC with 7 fractional digits, as the documents show.
std::string format_rfc3339(std::chrono::system_clock::time_point t);

// Builds a UTC time point from a civil date and time (for tests and configuration).
std::chrono::system_clock::time_point utc(int year, unsigned month, unsigned day, unsigned hour = 0,
                                          unsigned minute = 0, unsigned second = 0);

}  // namespace tender::net::hostsim
