// The terminal side of the chip card seam. A CardReader is one slot: a PC/SC
// reader, the emulator's in-process reader, or a countertop terminal's contact unit.
//
// Calls block; the app runs them on its worker strand (ARCHITECTURE.md: blocking OS
// calls never run on the io_context's thread). Every call that waits has a deadline.
#pragma once

#include <chrono>
#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::icc {

enum class Presence { absent, present };

class CardReader {
 public:
  virtual ~CardReader() = default;

  [[nodiscard]] virtual std::string name() const = 0;
  virtual Result<Presence> presence() = 0;
  // Waits until presence differs from `current` or the timeout passes (Errc::timeout).
  virtual Result<Presence> wait_for_change(Presence current, std::chrono::milliseconds timeout) = 0;
  // Cold reset: power on and return the ATR. Errc::not_found when no card is in.
  virtual Result<Bytes> power_on() = 0;
  virtual Result<void> power_off() = 0;
  // One command, as bytes, and the card's answer with SW1 SW2 at the end. Under
  // T=0 the procedure bytes 61xx / 6Cxx come back as they are: emv/ttl handles them.
  // Errc::io_error when the card went away or the reader failed.
  virtual Result<Bytes> transmit(ByteView command) = 0;
};

}  // namespace tender::icc
