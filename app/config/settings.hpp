// The terminal's configuration file (JSON): who the merchant is, where the journal lives,
// which host to talk to and how, and the engine's policies. See README.md, "Configuration".
//
// Every field is checked and a bad one is a typed error naming it by its path
// ("host.aurora.client_id: missing"): Errc::malformed for a wrong JSON type or text that
// does not follow its format, Errc::invalid_argument for a missing field, an unknown or
// repeated key or fields that contradict each other, Errc::out_of_range for a value that
// parses but is not allowed. Unknown keys are errors so that a typo never silently falls
// back to a default. Messages name fields, never their values (a secret may be the value).
//
// Secrets never sit in the file in clear where it can be avoided: the device key is "test"
// (the published test key) or "env:NAME"; host credentials may come from environment
// variables (`client_secret_env`, `api_key_env`). Environment variables are read while
// parsing, so the settings hold the secrets and the caller's environment is not read later.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/engine/engine.hpp"
#include "app/journal/journal.hpp"
#include "common/bytes.hpp"
#include "common/money.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "net/host/host_adapter.hpp"
#include "net/host/host_kind.hpp"
#include "ui/screen.hpp"

namespace boost::asio {
class io_context;
}

namespace tender::net::http {
class Transport;
}

namespace tender::app {

// An https origin: the URL's host and port (no path: the adapters own their paths).
struct HttpsEndpoint {
  std::string host;          // DNS name or IPv4 address; IPv6 without the brackets
  std::uint16_t port = 443;

  friend bool operator==(const HttpsEndpoint&, const HttpsEndpoint&) = default;
};

// "https://HOST[:PORT][/]". Anything else (another scheme, user info, a path, a query,
// a port that is not 1..65535) is Errc::malformed or Errc::out_of_range.
Result<HttpsEndpoint> parse_https_url(std::string_view url);

using net::host::HostKind;  // to_string(HostKind), host_kind_from(name): net/host/host_kind.hpp

struct AuroraSettings {
  std::string client_id;
  SecretString client_secret;
  std::string payment_processor_id;
  HttpsEndpoint oauth;             // the OAuth2 token origin; by default the API's own
};

struct FullStackSettings {
  SecretString api_key;
  std::string terminal_id;         // the gateway's terminal id (not the receipt's terminal_id)
  // The gateway's processor for every transaction; empty: the merchant's default processor
  // (FullStack L288: without a default and without processor_id "the transaction will fail").
  std::string processor_id;
};

// ConnexPay's Sales API (../shared/specs/connexpay.md): a user of the merchant's account for
// the token's password grant, and the device the terminal is at the host.
struct ConnexPaySettings {
  std::string username;
  SecretString password;
  std::string device_guid;    // DeviceGuid on every call (GET /api/v1/devices lists them)
  std::string merchant_guid;  // MerchantGuid of the searches a recovery makes
};

struct HostSettings {
  HostKind kind = HostKind::aurora;
  HttpsEndpoint api;
  std::filesystem::path ca_file;   // PEM: the CA(s) the host's certificate must chain to
  std::string server_name;         // SNI and the certificate's name; empty = api.host
  std::chrono::milliseconds timeout{30000};  // the adapter's deadline per request
  Currency currency = usd();
  std::optional<AuroraSettings> aurora;        // present exactly when kind == aurora
  std::optional<FullStackSettings> fullstack;  // present exactly when kind == fullstack
  std::optional<ConnexPaySettings> connexpay;  // present exactly when kind == connexpay
};

// The "devices" block: what tender (the terminal on real devices) opens. A device left
// out of the block is not there; the whole block left out is a terminal with no card
// reader, no PIN pad, no printer and the curses display (what tenderctl needs of a config).
struct ChipReaderSettings {
  std::string pcsc_reader;         // the PC/SC reader's name; empty: the first reader pcscd lists
};

struct StripeReaderSettings {
  std::filesystem::path evdev;     // /dev/input/by-id/...-event-kbd (a FIFO of recorded events in tests)
  std::chrono::milliseconds inter_char_timeout{100};
};

enum class PinPadKind { none, soft };

struct PinPadSettings {
  // soft: the software PED, its digits typed on the terminal's keypad, under the initial
  // key injected for its KSN (from the environment). A PIN typed on a general-purpose
  // keyboard is not PCI PTS protected: there is no real PED driver yet.
  PinPadKind kind = PinPadKind::none;
  Bytes initial_ksn;               // 10 bytes (TDES DUKPT); set when kind == soft
  SecretBytes initial_key;         // 16 bytes, the IPEK of initial_ksn; set when kind == soft
};

enum class PrinterKind { none, file, tcp };

struct PrinterSettings {
  PrinterKind kind = PrinterKind::none;
  std::filesystem::path file;      // kind == file: a spool file or /dev/usb/lp0
  std::string tcp_host;            // kind == tcp: a DNS name or IPv4 address
  std::uint16_t tcp_port = 9100;
};

enum class DisplayKind { curses, lines };

struct DisplaySettings {
  DisplayKind kind = DisplayKind::curses;  // lines: the screens as text on stdout, keys from stdin
  ui::DisplaySize size = ui::DisplaySize::lines4x20;
};

struct DeviceSettings {
  std::optional<ChipReaderSettings> chip_reader;
  std::optional<StripeReaderSettings> msr;
  PinPadSettings pin_pad;
  PrinterSettings printer;
  DisplaySettings display;
};

// The kernel's configuration files (app/terminal/kernel_config.hpp loads them): the
// terminal's EMV parameters and AIDs (app/terminal/terminal_json.hpp; tender refuses a chip
// reader without it), and the CA public keys (app/terminal/capk_json.hpp; without them the
// terminal performs no offline data authentication: the kernel sets "ODA not performed"
// and the action codes decide).
struct EmvSettings {
  std::optional<std::filesystem::path> terminal_file;
  std::optional<std::filesystem::path> capk_file;
};

struct TerminalSettings {
  EngineConfig engine;             // merchant, terminal_id, currency and the engine block
  HostSettings host;
  std::filesystem::path state_dir;
  DeviceKey device_key;
  JournalOptions journal;          // offline_queue_cap
  DeviceSettings devices;
  EmvSettings emv;
  // "device_key": "test" was given: device_key is left empty (the product carries no test
  // key); the emulator and tools use app/sim's test_device_key(), `tender` refuses it.
  bool test_device_key = false;

  [[nodiscard]] std::filesystem::path journal_file() const { return state_dir / kJournalFileName; }
  static constexpr std::string_view kJournalFileName = "journal.db";
};

// Relative paths in the file (state_dir, host.ca_file, devices.msr.evdev, devices.printer.file,
// emv.terminal_file, emv.capk_file) are taken relative to `base_dir`
// (load_settings: the file's own directory), so a config and its CA can move together.
Result<TerminalSettings> parse_settings(std::string_view json_text, const std::filesystem::path& base_dir = {});
// Errc::not_found when the file does not exist, Errc::io_error when it cannot be read.
Result<TerminalSettings> load_settings(const std::filesystem::path& path);
// The journal of a configuration, for the commands that only read it (tenderctl journal list,
// queue list): only `state_dir` is read, so neither the device key nor a host credential
// has to be at hand (an operator's shell has neither).
Result<std::filesystem::path> load_journal_file(const std::filesystem::path& path);

// The host adapter of the settings on its HTTPS client(s). Nothing is sent yet: the
// first request connects. Errc::io_error when the CA file cannot be read,
// Errc::malformed when it holds no PEM certificate, or the client's own error.
// Must outlive the adapter's pending operations; the io_context must outlive it.
class HostConnection {
 public:
  HostConnection(HostConnection&&) noexcept;
  HostConnection& operator=(HostConnection&&) noexcept;
  ~HostConnection();

  [[nodiscard]] net::host::HostAdapter& adapter() noexcept;

  struct Impl;
  explicit HostConnection(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Wraps each HTTPS client of the connection before the adapter gets it (tender-emu logs the
// terminal's exchanges through one); the connection owns what it returns.
using TransportWrapper = std::function<std::unique_ptr<net::http::Transport>(net::http::Transport& client)>;

struct ConnectOptions {
  TransportWrapper wrap;
  // Non-empty: trust these PEM certificates instead of reading settings.ca_file (the
  // emulator's built-in simulator, whose CA exists only in memory).
  std::string ca_pem;
  // Wall-clock seconds for the host's time windows; empty: the system clock.
  std::function<std::int64_t()> unix_now;
};

// The adapter of settings.kind (app/config/host_registry.hpp), one HTTPS client per origin.
Result<HostConnection> connect_host(boost::asio::io_context& io, const HostSettings& settings,
                                    const ConnectOptions& options = {});

}  // namespace tender::app
