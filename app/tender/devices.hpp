// Opening the devices the config's "devices" block names. Every failure names the device
// and where it was looked for, so a merchant can tell a missing reader from a bad cable;
// none of them is a crash.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "app/config/settings.hpp"
#include "app/tender/device_counter.hpp"
#include "drivers/pinpad/key_store.hpp"
#include "ui/keypad.hpp"

namespace tender::app::terminal {

// The chip reader, the stripe reader and the printer. Errc::not_found / Errc::io_error with
// "chip card reader (PC/SC ...): ...", "stripe reader: msr PATH: ...", "printer PATH: ...".
Result<CounterDevices> open_devices(const DeviceSettings& settings);

// The key store slot of the soft PED's DUKPT registers.
inline constexpr std::string_view kPedSlot = "ped-dukpt";

// The configured PIN pad, or null for none. The soft PED is loaded under the X9.24 TEST BDK
// (0123456789ABCDEFFEDCBA9876543210): development and certification only. Its registers are
// resumed from `store` when it holds those of the same initial KSN, so a restart never issues
// a KSN twice; a store that holds state but does not open is an error, not a fresh start
// (that would reuse KSNs). A different configured KSN starts its key set afresh.
Result<std::unique_ptr<pinpad::PinPad>> make_pin_pad(const PinPadSettings& settings, pinpad::PinSource source,
                                                     pinpad::KeyStore* store);

// The key wrapping the PED's registers on disk, derived from the device key
// (HMAC-SHA-256 with a label) so that the journal's key serves one purpose only.
pinpad::WrappingKey ped_store_key(const DeviceKey& device_key);

// The keypad of the "lines" display: characters from a descriptor (stdin), line-buffered
// or not. Besides ui::key_from_char: 's' is F1 (sale), 't' F2 (settle: the batch total),
// 'f' F3 (flush the queue), 'u' and 'd' Up and Down (the menu's lists). After end of input
// no key comes again and read_key only waits.
class FdKeypad final : public ui::Keypad {
 public:
  explicit FdKeypad(int fd) noexcept : fd_(fd) {}
  std::optional<ui::Key> read_key(std::chrono::milliseconds wait) override;
  [[nodiscard]] bool at_end() const noexcept { return at_end_; }

 private:
  int fd_;
  bool at_end_ = false;
};

}  // namespace tender::app::terminal
