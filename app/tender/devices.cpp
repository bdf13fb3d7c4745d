#include "app/tender/devices.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "common/crypto/hash.hpp"

#include "common/log.hpp"
#include "drivers/icc/pcsc/pcsc_reader.hpp"
#include "drivers/pinpad/soft_ped.hpp"

namespace tender::app::terminal {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kComponent = "devices";

Result<std::unique_ptr<printer::Printer>> open_printer(const PrinterSettings& p) {
  switch (p.kind) {
    case PrinterKind::none:
      return std::unique_ptr<printer::Printer>{};
    case PrinterKind::tcp:
      // Not connected now: a printer may sleep between receipts; each job connects.
      return std::unique_ptr<printer::Printer>{std::make_unique<printer::TcpPrinter>(p.tcp_host, p.tcp_port)};
    case PrinterKind::file:
      break;
  }
  const std::string name = "printer " + p.file.string();
  std::error_code ec;
  const auto status = fs::status(p.file, ec);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) return make_error(Errc::invalid_argument, name + ": is a directory");
  } else if (p.file.string().starts_with("/dev/")) {
    // FilePrinter would create a regular file in place of the device node.
    return make_error(Errc::not_found, name + ": no such device (is the printer plugged in and on?)");
  } else if (!fs::is_directory(p.file.parent_path(), ec)) {
    return make_error(Errc::not_found, name + ": its directory does not exist");
  }
  return std::unique_ptr<printer::Printer>{std::make_unique<printer::FilePrinter>(p.file.string())};
}

}  // namespace

Result<CounterDevices> open_devices(const DeviceSettings& settings) {
  CounterDevices d;
  if (settings.chip_reader) {
    const std::string& name = settings.chip_reader->pcsc_reader;
    auto reader = icc::pcsc::PcscReader::open(name);
    if (!reader) {
      const std::string which = name.empty() ? "the first PC/SC reader" : "PC/SC reader \"" + name + "\"";
      return make_error(reader.error().code, "chip card reader (" + which + "): " + reader.error().message);
    }
    log::info(kComponent, "chip card reader: ", (*reader)->name());
    d.chip = std::move(*reader);
  }
  if (settings.msr) {
    auto stripe = msr::EvdevReader::open(settings.msr->evdev.string(),
                                         std::chrono::duration_cast<std::chrono::microseconds>(
                                             settings.msr->inter_char_timeout));
    if (!stripe) return make_error(stripe.error().code, "stripe reader: " + stripe.error().message);
    d.stripe.emplace(std::move(*stripe));
  }
  auto printer = open_printer(settings.printer);
  if (!printer) return std::move(printer).error();
  d.printer = std::move(*printer);
  return d;
}

Result<std::unique_ptr<pinpad::PinPad>> make_pin_pad(const PinPadSettings& settings, pinpad::PinSource source,
                                                     pinpad::KeyStore* store) {
  if (settings.kind == PinPadKind::none) return std::unique_ptr<pinpad::PinPad>{};
  namespace tdes = pinpad::tdes;
  auto ksn = tdes::parse_ksn(settings.initial_ksn);
  if (!ksn) return make_error(ksn.error().code, "PIN pad: " + ksn.error().message);
  const tdes::Ksn initial = tdes::ksn_with_counter(*ksn, 0);
  std::optional<tdes::Originator> originator;
  if (store != nullptr) {
    auto saved = store->load(kPedSlot);
    if (!saved && saved.error().code != Errc::not_found)
      return make_error(saved.error().code, "PIN pad: its saved DUKPT state does not open: " + saved.error().message);
    if (saved) {
      auto state = pinpad::deserialize_tdes_state(saved->reveal());
      if (!state) return make_error(state.error().code, "PIN pad: its saved DUKPT state: " + state.error().message);
      if (tdes::ksn_with_counter(state->ksn, 0) == initial) {
        auto restored = tdes::Originator::restore(*state);
        if (!restored) return make_error(restored.error().code, "PIN pad: " + restored.error().message);
        originator.emplace(std::move(*restored));
      } else {
        log::info(kComponent, "PIN pad: the configured KSN starts a new key set");
      }
    }
  }
  if (!originator) {
    auto loaded = tdes::Originator::load_initial_key(tdes::Key{settings.initial_key.reveal()}, initial);
    if (!loaded) return make_error(loaded.error().code, "PIN pad: its initial key: " + loaded.error().message);
    originator.emplace(std::move(*loaded));
  }
  log::warn(kComponent, "PIN pad: the soft PED, PINs typed on the terminal's keypad (no real PED driver yet)");
  return std::unique_ptr<pinpad::PinPad>{std::make_unique<pinpad::SoftPed>(
      std::move(source), std::move(*originator), store, std::string(kPedSlot))};
}

pinpad::WrappingKey ped_store_key(const DeviceKey& device_key) {
  constexpr std::string_view label = "tender soft PED key store v1";
  const auto derived = crypto::hmac_sha256(
      device_key.reveal(), ByteView{reinterpret_cast<const Byte*>(label.data()), label.size()});
  return pinpad::WrappingKey{derived.reveal()};
}

std::optional<ui::Key> FdKeypad::read_key(std::chrono::milliseconds wait) {
  const int ms = static_cast<int>(wait.count());
  if (at_end_) {
    if (ms > 0) (void)::poll(nullptr, 0, ms);
    return std::nullopt;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, ms) <= 0) return std::nullopt;
  char c = 0;
  const ssize_t n = ::read(fd_, &c, 1);
  if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
    at_end_ = true;
    return std::nullopt;
  }
  if (n < 0) return std::nullopt;
  switch (c) {
    case 's': case 'S': return ui::Key::f1;
    case 't': case 'T': return ui::Key::f2;
    case 'f': case 'F': return ui::Key::f3;
    case 'u': case 'U': return ui::Key::up;
    case 'd': case 'D': return ui::Key::down;
    default: return ui::key_from_char(static_cast<unsigned char>(c));
  }
}

}  // namespace tender::app::terminal
