#include "drivers/icc/pcsc/pcsc_reader.hpp"

#include <winscard.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <type_traits>

#include "common/log.hpp"
#include "drivers/icc/apdu.hpp"

namespace tender::icc::pcsc {

// The header keeps pcsc-lite's types out; they must be what it stores them as.
static_assert(std::is_same_v<SCARDCONTEXT, long> && std::is_same_v<SCARDHANDLE, long> &&
              std::is_same_v<LONG, long>);

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kLog = "pcsc";

// Short APDUs only (EMV Book 1 9.4): CLA INS P1 P2 Lc 255 data Le; 256 data SW1 SW2.
constexpr std::size_t kMaxCommand = 4 + 1 + 255 + 1;
constexpr std::size_t kMaxResponse = 256 + 2;

struct PcscCode {
  LONG code;
  Errc errc;
  std::string_view name;     // as pcsclite.h spells it
  std::string_view meaning;  // for the operator reading the log
};

// pcsc-lite's SCARD_E_UNEXPECTED has the same value as SCARD_E_UNSUPPORTED_FEATURE.
constexpr PcscCode kCodes[] = {
    {SCARD_E_TIMEOUT, Errc::timeout, "SCARD_E_TIMEOUT", "the deadline passed"},
    {SCARD_F_WAITED_TOO_LONG, Errc::timeout, "SCARD_F_WAITED_TOO_LONG", "a pcscd internal timer expired"},
    {SCARD_E_CANCELLED, Errc::cancelled, "SCARD_E_CANCELLED", "cancelled (SCardCancel)"},
    {SCARD_E_SYSTEM_CANCELLED, Errc::cancelled, "SCARD_E_SYSTEM_CANCELLED", "cancelled by the system"},
    {SCARD_E_NO_SMARTCARD, Errc::not_found, "SCARD_E_NO_SMARTCARD", "no card in the reader"},
    {SCARD_E_NO_READERS_AVAILABLE, Errc::not_found, "SCARD_E_NO_READERS_AVAILABLE", "no PC/SC reader is connected"},
    {SCARD_E_UNKNOWN_READER, Errc::not_found, "SCARD_E_UNKNOWN_READER", "pcscd does not know this reader"},
    {SCARD_W_REMOVED_CARD, Errc::io_error, "SCARD_W_REMOVED_CARD", "the card was removed"},
    {SCARD_W_RESET_CARD, Errc::io_error, "SCARD_W_RESET_CARD", "the card was reset by another application"},
    {SCARD_W_UNPOWERED_CARD, Errc::io_error, "SCARD_W_UNPOWERED_CARD", "the card is not powered"},
    {SCARD_W_UNRESPONSIVE_CARD, Errc::io_error, "SCARD_W_UNRESPONSIVE_CARD", "the card does not answer to reset"},
    {SCARD_E_NO_SERVICE, Errc::io_error, "SCARD_E_NO_SERVICE", "the PC/SC service (pcscd) is not running"},
    {SCARD_E_SERVICE_STOPPED, Errc::io_error, "SCARD_E_SERVICE_STOPPED", "the PC/SC service (pcscd) stopped"},
    {SCARD_E_SERVER_TOO_BUSY, Errc::io_error, "SCARD_E_SERVER_TOO_BUSY", "pcscd is too busy"},
    {SCARD_F_COMM_ERROR, Errc::io_error, "SCARD_F_COMM_ERROR", "communication with pcscd failed"},
    {SCARD_E_READER_UNAVAILABLE, Errc::io_error, "SCARD_E_READER_UNAVAILABLE", "the reader is unavailable (unplugged?)"},
    {SCARD_E_SHARING_VIOLATION, Errc::io_error, "SCARD_E_SHARING_VIOLATION", "another application is using the card"},
    {SCARD_E_NOT_TRANSACTED, Errc::io_error, "SCARD_E_NOT_TRANSACTED", "the reader failed to exchange with the card"},
    {SCARD_E_COMM_DATA_LOST, Errc::io_error, "SCARD_E_COMM_DATA_LOST", "communication with the card was lost"},
    {SCARD_E_NOT_READY, Errc::io_error, "SCARD_E_NOT_READY", "the reader or card is not ready"},
    {SCARD_E_INVALID_HANDLE, Errc::io_error, "SCARD_E_INVALID_HANDLE", "the PC/SC handle is no longer valid"},
    {SCARD_E_NO_MEMORY, Errc::io_error, "SCARD_E_NO_MEMORY", "pcscd is out of memory"},
    {SCARD_F_INTERNAL_ERROR, Errc::io_error, "SCARD_F_INTERNAL_ERROR", "pcscd internal error"},
    {SCARD_F_UNKNOWN_ERROR, Errc::io_error, "SCARD_F_UNKNOWN_ERROR", "unknown pcscd error"},
    {SCARD_W_UNSUPPORTED_CARD, Errc::unsupported, "SCARD_W_UNSUPPORTED_CARD", "the reader cannot use the card's ATR"},
    {SCARD_E_PROTO_MISMATCH, Errc::unsupported, "SCARD_E_PROTO_MISMATCH", "the card offers neither T=0 nor T=1"},
    {SCARD_E_CARD_UNSUPPORTED, Errc::unsupported, "SCARD_E_CARD_UNSUPPORTED", "the card is not supported"},
    {SCARD_E_UNSUPPORTED_FEATURE, Errc::unsupported, "SCARD_E_UNSUPPORTED_FEATURE", "not supported by the reader"},
    {SCARD_E_READER_UNSUPPORTED, Errc::unsupported, "SCARD_E_READER_UNSUPPORTED", "the reader driver is not supported"},
    {SCARD_E_INSUFFICIENT_BUFFER, Errc::malformed, "SCARD_E_INSUFFICIENT_BUFFER", "the answer is longer than allowed"},
    {SCARD_E_INVALID_PARAMETER, Errc::invalid_argument, "SCARD_E_INVALID_PARAMETER", "invalid parameter"},
    {SCARD_E_INVALID_VALUE, Errc::invalid_argument, "SCARD_E_INVALID_VALUE", "invalid value"},
};

constexpr bool codes_unique() {
  for (std::size_t i = 0; i < std::size(kCodes); ++i)
    for (std::size_t j = i + 1; j < std::size(kCodes); ++j)
      if (kCodes[i].code == kCodes[j].code) return false;
  return true;
}
static_assert(codes_unique(), "a PC/SC code appears twice in the table");

// Remaining time as a PC/SC timeout: whole milliseconds, never INFINITE.
DWORD to_timeout(Clock::duration left) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<DWORD>(std::clamp<std::chrono::milliseconds::rep>(ms, 0, INFINITE - 1));
}

// The reader list of a context: pcsc-lite's multi-string, split.
Result<std::vector<std::string>> readers_of(SCARDCONTEXT context) {
  for (int attempt = 0; attempt < 3; ++attempt) {  // the list may grow between the two calls
    DWORD length = 0;
    LONG rv = SCardListReaders(context, nullptr, nullptr, &length);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
    if (rv != SCARD_S_SUCCESS) return pcsc_error(rv, "list readers");
    std::string buffer(length, '\0');
    rv = SCardListReaders(context, nullptr, buffer.data(), &length);
    if (rv == SCARD_E_INSUFFICIENT_BUFFER) continue;
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
    if (rv != SCARD_S_SUCCESS) return pcsc_error(rv, "list readers");
    buffer.resize(std::min<std::size_t>(length, buffer.size()));
    std::vector<std::string> names;
    for (std::size_t at = 0; at < buffer.size() && buffer[at] != '\0';) {
      const std::size_t end = buffer.find('\0', at);
      names.emplace_back(buffer.substr(at, end - at));
      if (end == std::string::npos) break;
      at = end + 1;
    }
    return names;
  }
  return make_error(Errc::io_error, "list readers: the reader list kept changing");
}

// A context that is released unless handed on.
class ScopedContext {
 public:
  ScopedContext() = default;
  ~ScopedContext() {
    if (valid_) SCardReleaseContext(context_);
  }
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

  LONG establish() {
    const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_);
    valid_ = rv == SCARD_S_SUCCESS;
    return rv;
  }
  [[nodiscard]] SCARDCONTEXT get() const { return context_; }
  SCARDCONTEXT release() {
    valid_ = false;
    return context_;
  }

 private:
  SCARDCONTEXT context_ = 0;
  bool valid_ = false;
};

// The presence a reader state shows, or why there is none.
Result<Presence> presence_of(DWORD event_state, const std::string& reader) {
  if ((event_state & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) != 0)
    return make_error(Errc::not_found, "reader '" + reader + "' is no longer known to pcscd");
  if ((event_state & SCARD_STATE_UNAVAILABLE) != 0)
    return make_error(Errc::io_error, "reader '" + reader + "' is unavailable");
  return (event_state & SCARD_STATE_PRESENT) != 0 ? Presence::present : Presence::absent;
}

}  // namespace

std::string_view to_string(Protocol protocol) noexcept { return protocol == Protocol::t0 ? "T=0" : "T=1"; }

Error pcsc_error(long code, std::string_view operation) {
  const auto* it =
      std::find_if(std::begin(kCodes), std::end(kCodes), [code](const PcscCode& c) { return c.code == code; });
  std::string message(operation);
  if (it == std::end(kCodes)) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(code) & 0xFFFFFFFFUL);
    return make_error(Errc::io_error, message + ": PC/SC error " + hex);
  }
  message.append(": ").append(it->meaning).append(" (").append(it->name).append(")");
  return make_error(it->errc, std::move(message));
}

Result<std::vector<std::string>> list_readers() {
  ScopedContext context;
  if (const LONG rv = context.establish(); rv != SCARD_S_SUCCESS) return pcsc_error(rv, "connect to pcscd");
  return readers_of(context.get());
}

Result<void> check_service() {
  ScopedContext context;
  if (const LONG rv = context.establish(); rv != SCARD_S_SUCCESS) return pcsc_error(rv, "connect to pcscd");
  return ok();
}

// ---- PcscReader ----

Result<std::unique_ptr<PcscReader>> PcscReader::open(std::string_view reader_name) {
  ScopedContext context;
  if (const LONG rv = context.establish(); rv != SCARD_S_SUCCESS) return pcsc_error(rv, "connect to pcscd");
  auto readers = readers_of(context.get());
  if (!readers) return std::move(readers).error();
  std::string chosen;
  if (reader_name.empty()) {
    if (readers->empty()) return pcsc_error(SCARD_E_NO_READERS_AVAILABLE, "open the first reader");
    chosen = readers->front();
  } else {
    const auto it = std::find(readers->begin(), readers->end(), reader_name);
    if (it == readers->end())
      return make_error(Errc::not_found, "no reader named '" + std::string(reader_name) + "' among the " +
                                             std::to_string(readers->size()) + " pcscd lists");
    chosen = *it;
  }
  log::info(kLog, "opened reader '", chosen, "'");
  return std::unique_ptr<PcscReader>(new PcscReader(context.release(), std::move(chosen)));
}

PcscReader::PcscReader(long context, std::string name) : context_(context), name_(std::move(name)) {}

PcscReader::~PcscReader() {
  (void)power_off();
  SCardReleaseContext(context_);
}

Result<Presence> PcscReader::presence() {
  SCARD_READERSTATE state{};
  state.szReader = name_.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;  // "tell me now": returns at once
  if (const LONG rv = SCardGetStatusChange(context_, 0, &state, 1); rv != SCARD_S_SUCCESS)
    return pcsc_error(rv, "read the presence of a card");
  return presence_of(state.dwEventState, name_);
}

Result<Presence> PcscReader::wait_for_change(Presence current, std::chrono::milliseconds timeout) {
  cancel_requested_.store(false);
  const auto deadline = Clock::now() + std::max(timeout, std::chrono::milliseconds{0});
  auto timed_out = [&] {
    return make_error(Errc::timeout, "no card presence change within " + std::to_string(timeout.count()) + " ms");
  };
  SCARD_READERSTATE state{};
  state.szReader = name_.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  LONG rv = SCardGetStatusChange(context_, 0, &state, 1);
  for (;;) {
    if (rv == SCARD_E_TIMEOUT) return timed_out();
    if (rv != SCARD_S_SUCCESS) return pcsc_error(rv, "wait for a card presence change");
    auto now = presence_of(state.dwEventState, name_);
    if (!now || *now != current) return now;
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) return timed_out();
    if (cancel_requested_.load()) return pcsc_error(SCARD_E_CANCELLED, "wait for a card presence change");
    // The state just read, event counter (high 16 bits) included: pcscd answers when it moves.
    state.dwCurrentState = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    rv = SCardGetStatusChange(context_, to_timeout(left), &state, 1);
  }
}

void PcscReader::cancel() noexcept {
  cancel_requested_.store(true);
  if (const LONG rv = SCardCancel(context_); rv != SCARD_S_SUCCESS)
    log::warn(kLog, pcsc_error(rv, "cancel a wait").message);
}

Result<Bytes> PcscReader::power_on() {
  constexpr DWORD kProtocols = SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1;
  DWORD active = SCARD_PROTOCOL_UNDEFINED;
  // Cold reset, whoever powered the card before (pcscd does at insertion to read the ATR).
  LONG rv = SCARD_E_INVALID_HANDLE;
  if (card_) {
    rv = SCardReconnect(*card_, SCARD_SHARE_EXCLUSIVE, kProtocols, SCARD_UNPOWER_CARD, &active);
    if (rv != SCARD_S_SUCCESS) drop_card();  // the card of that handle left: try a new one
  }
  if (!card_) {
    SCARDHANDLE handle = 0;
    rv = SCardConnect(context_, name_.c_str(), SCARD_SHARE_EXCLUSIVE, kProtocols, &handle, &active);
    if (rv != SCARD_S_SUCCESS) return pcsc_error(rv, "power on the card");
    card_ = handle;
    rv = SCardReconnect(*card_, SCARD_SHARE_EXCLUSIVE, kProtocols, SCARD_UNPOWER_CARD, &active);
  }
  if (rv != SCARD_S_SUCCESS) {
    drop_card();
    return pcsc_error(rv, "cold reset the card");
  }
  if (active == SCARD_PROTOCOL_T0) {
    protocol_ = Protocol::t0;
  } else if (active == SCARD_PROTOCOL_T1) {
    protocol_ = Protocol::t1;
  } else {
    drop_card();
    return pcsc_error(SCARD_E_PROTO_MISMATCH, "power on the card");
  }
  std::array<BYTE, MAX_ATR_SIZE> atr{};
  DWORD atr_length = atr.size();
  DWORD state = 0;
  DWORD protocol = 0;
  DWORD name_length = 0;
  const LONG status = SCardStatus(*card_, nullptr, &name_length, &state, &protocol, atr.data(), &atr_length);
  if (status != SCARD_S_SUCCESS) {
    drop_card();
    return pcsc_error(status, "read the ATR");
  }
  log::info(kLog, "card powered on, ", to_string(*protocol_), ", ATR of ", atr_length, " bytes");
  return Bytes(atr.begin(), atr.begin() + std::min<DWORD>(atr_length, atr.size()));
}

Result<void> PcscReader::power_off() {
  if (!card_) return ok();
  const LONG rv = SCardDisconnect(*card_, SCARD_UNPOWER_CARD);
  card_.reset();
  protocol_.reset();
  // Gone or already reset: the card is unpowered either way.
  if (rv == SCARD_S_SUCCESS || rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD) return ok();
  return pcsc_error(rv, "power off the card");
}

Result<Bytes> PcscReader::transmit(ByteView command) {
  if (!card_ || !protocol_) return make_error(Errc::io_error, "transmit: the card is not powered");
  if (command.size() < 4 || command.size() > kMaxCommand)
    return make_error(Errc::invalid_argument, "transmit: a short command APDU has 4 to 261 bytes, not " +
                                                  std::to_string(command.size()));
  const SCARD_IO_REQUEST* pci = *protocol_ == Protocol::t0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  std::array<BYTE, kMaxResponse> response{};
  DWORD length = response.size();
  const LONG rv = SCardTransmit(*card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                                response.data(), &length);
  if (rv != SCARD_S_SUCCESS) {
    if (rv == SCARD_W_REMOVED_CARD || rv == SCARD_W_RESET_CARD || rv == SCARD_W_UNPOWERED_CARD ||
        rv == SCARD_E_NO_SMARTCARD || rv == SCARD_E_INVALID_HANDLE)
      drop_card();
    auto error = pcsc_error(rv, "transmit");
    log::warn(kLog, error.message, " (command of ", command.size(), " bytes)");
    return error;
  }
  // An empty answer is what a reader gives when the card left mid-command (vpcd
  // reports success with 0 bytes): the card went away, not a malformed answer.
  if (length == 0) return make_error(Errc::io_error, "transmit: no answer from the card (removed?)");
  if (length < 2 || length > response.size())
    return make_error(Errc::malformed, "transmit: the reader returned " + std::to_string(length) +
                                           " bytes, not a response APDU");
  const ByteView answer(response.data(), length);
  // Lengths and SW only: the data may hold a PAN.
  log::debug(kLog, "C-APDU ", command.size(), " bytes -> R-APDU ", length, " bytes SW ",
             sw_to_hex(static_cast<StatusWord>(load_be(answer.last(2)))));
  return Bytes(answer.begin(), answer.end());
}

void PcscReader::drop_card() noexcept {
  if (card_) (void)SCardDisconnect(*card_, SCARD_LEAVE_CARD);
  card_.reset();
  protocol_.reset();
}

}  // namespace tender::icc::pcsc
