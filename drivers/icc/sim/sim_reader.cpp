#include "drivers/icc/sim/sim_reader.hpp"

namespace tender::icc {

void SimReader::insert(Card* card) noexcept {
  card_ = card;
  powered_ = false;
}

void SimReader::remove() noexcept {
  card_ = nullptr;
  powered_ = false;
}

Result<Presence> SimReader::presence() { return card_ ? Presence::present : Presence::absent; }

// Single-threaded simulation: nothing can change while we wait, so report the
// present state at once when it differs and time out otherwise (without sleeping:
// the emulator drives insertion from its own script).
Result<Presence> SimReader::wait_for_change(Presence current, std::chrono::milliseconds) {
  const Presence now = card_ ? Presence::present : Presence::absent;
  if (now != current) return now;
  return make_error(Errc::timeout, "no card presence change");
}

Result<Bytes> SimReader::power_on() {
  if (!card_) return make_error(Errc::not_found, "no card in the reader");
  card_->reset();
  powered_ = true;
  return card_->atr();
}

Result<void> SimReader::power_off() {
  powered_ = false;
  return ok();
}

Result<Bytes> SimReader::transmit(ByteView command) {
  if (!card_) return make_error(Errc::io_error, "card removed");
  if (!powered_) return make_error(Errc::io_error, "card not powered");
  return card_->process(command);
}

}  // namespace tender::icc
