// A slot that never holds a card: the terminal without a chip reader configured (a
// stripe-only POS box) and the tools that run the engine without a card. It answers
// like an empty reader, so the engine's "insert card" logic needs no special case.
#pragma once

#include <string>
#include <utility>

#include "drivers/icc/card_reader.hpp"

namespace tender::icc {

class EmptySlot final : public CardReader {
 public:
  explicit EmptySlot(std::string name = "no chip reader") : name_(std::move(name)) {}

  [[nodiscard]] std::string name() const override { return name_; }
  Result<Presence> presence() override { return Presence::absent; }
  // Nothing ever arrives: report the timeout at once rather than sleep, as a reader
  // that cannot change would.
  Result<Presence> wait_for_change(Presence current, std::chrono::milliseconds) override {
    if (current != Presence::absent) return Presence::absent;
    return make_error(Errc::timeout, "no card presence change");
  }
  Result<Bytes> power_on() override { return make_error(Errc::not_found, "no card in the reader"); }
  Result<void> power_off() override { return ok(); }
  Result<Bytes> transmit(ByteView) override { return make_error(Errc::io_error, "no card in the reader"); }

 private:
  std::string name_;
};

}  // namespace tender::icc
