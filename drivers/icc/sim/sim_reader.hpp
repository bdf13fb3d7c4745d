// An in-process CardReader over a Card: the emulator's contact slot and the tests'.
#pragma once

#include <memory>

#include "drivers/icc/card.hpp"
#include "drivers/icc/card_reader.hpp"

namespace tender::icc {

class SimReader final : public CardReader {
 public:
  explicit SimReader(std::string name = "Tender simulated reader") : name_(std::move(name)) {}

  // The reader does not own the card: the emulator keeps the card set.
  void insert(Card* card) noexcept;
  void remove() noexcept;

  [[nodiscard]] std::string name() const override { return name_; }
  Result<Presence> presence() override;
  Result<Presence> wait_for_change(Presence current, std::chrono::milliseconds timeout) override;
  Result<Bytes> power_on() override;
  Result<void> power_off() override;
  Result<Bytes> transmit(ByteView command) override;

 private:
  std::string name_;
  Card* card_ = nullptr;
  bool powered_ = false;
};

}  // namespace tender::icc
