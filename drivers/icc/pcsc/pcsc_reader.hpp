// A CardReader on PC/SC (pcsc-lite's libpcsclite talking to pcscd): any CCID USB
// reader, or vsmartcard's vpcd virtual reader in the tests.
//
// One PcscReader owns one PC/SC context and, while the card is powered, one exclusive
// card handle. Its calls block and are made from one thread (the app's worker strand);
// cancel() is the one call made from another thread. Every wait has a deadline.
//
// Under T=0 the driver passes the card's procedure bytes 61xx / 6Cxx up as they came:
// pcsc-lite does not issue GET RESPONSE or repeat a command with a corrected Le
// (emv/ttl does that, EMV Book 1 9.3.1.3). See README.md for what was observed.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/icc/card_reader.hpp"

namespace tender::icc::pcsc {

// The transmission protocol (ISO/IEC 7816-3) pcscd chose from the ATR at power on.
enum class Protocol { t0, t1 };

std::string_view to_string(Protocol protocol) noexcept;

// A PC/SC return code (SCARD_E_*, SCARD_W_*, SCARD_F_*) as an Error: the code from a
// table, the message "<operation>: <meaning> (<PC/SC name>)". `code` is pcsc-lite's LONG.
Error pcsc_error(long code, std::string_view operation);

// The readers pcscd knows, in its order. Empty when there are none
// (SCARD_E_NO_READERS_AVAILABLE); Errc::io_error when pcscd is not running.
Result<std::vector<std::string>> list_readers();

// Ok when pcscd answers (a context can be established).
Result<void> check_service();

class PcscReader final : public CardReader {
 public:
  // The reader with exactly this name, or the first reader pcscd lists when the name
  // is empty. Errc::not_found when there is no such reader.
  static Result<std::unique_ptr<PcscReader>> open(std::string_view reader_name = {});

  ~PcscReader() override;  // powers the card off, releases the context
  PcscReader(const PcscReader&) = delete;
  PcscReader& operator=(const PcscReader&) = delete;

  [[nodiscard]] std::string name() const override { return name_; }
  Result<Presence> presence() override;
  // SCardGetStatusChange until the presence differs from `current`; Errc::timeout at the
  // deadline, Errc::cancelled after cancel(), Errc::not_found if the reader went away.
  Result<Presence> wait_for_change(Presence current, std::chrono::milliseconds timeout) override;
  // Cold reset (ISO/IEC 7816-3 6.2.2): connects exclusively for T=0 or T=1, then
  // reconnects with SCARD_UNPOWER_CARD so the card is powered up afresh whatever state
  // pcscd or another application left it in, and returns the ATR from SCardStatus.
  Result<Bytes> power_on() override;
  // SCardDisconnect with SCARD_UNPOWER_CARD. A card already removed is powered off.
  Result<void> power_off() override;
  // SCardTransmit with the PCI of the active protocol; short APDUs only (4..261 bytes).
  Result<Bytes> transmit(ByteView command) override;

  // Ends a wait_for_change in progress, from any thread (SCardCancel). A wait that
  // starts after the call is not affected.
  void cancel() noexcept;

  // Set while the card is powered.
  [[nodiscard]] std::optional<Protocol> active_protocol() const noexcept { return protocol_; }

 private:
  PcscReader(long context, std::string name);
  void drop_card() noexcept;

  const long context_;  // SCARDCONTEXT
  const std::string name_;
  std::optional<long> card_;  // SCARDHANDLE while powered
  std::optional<Protocol> protocol_;
  std::atomic<bool> cancel_requested_{false};
};

}  // namespace tender::icc::pcsc
