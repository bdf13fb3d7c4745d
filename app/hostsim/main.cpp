// tender-hostsim: the host simulator (net/hostsim) behind the HTTPS server (net/http) on
// 127.0.0.1, with the DUKPT PIN verifier and the test cards' issuer (app/hostsim).
//
//   tender-hostsim [--port N] [--state-dir DIR] [--max-connections N] [--verbose]
//
// --port 0 (the default) picks a free port. When the server is ready, exactly one line
// "listening on 127.0.0.1:N" goes to stdout. With --state-dir the test PKI (DIR/ca.pem,
// DIR/server.pem, keys) is created on first start and reused, and the state lives in
// DIR/hostsim.db (SQLite), restored on start. Without it the state is in memory and the
// certificates go to a temporary directory, removed on exit (stderr says where ca.pem is).
// SIGINT/SIGTERM stop it (exit 0). Bad arguments: exit 2 with one line on stderr; a
// start-up failure: exit 1 with one line. It holds a fleet: at most --max-connections
// (default 1024) open connections, one over it closed at once; the descriptor limit is raised
// to fit them when the hard limit allows; when descriptors run out anyway, accepting pauses
// (net/http/server.hpp). Logs (stderr): a summary line (requests by status class, peak
// connections, refused) every minute with traffic and at exit; one line per request (method,
// path, status) only with --verbose. Never a body, a PAN, track data or a PIN block.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/hostsim/verifiers.hpp"
#include "common/log.hpp"
#include "common/port.hpp"
#include "common/version.hpp"
#include "net/hostsim/clock.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/hostsim/sqlite_store.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace {

namespace fs = std::filesystem;
namespace hostsim = tender::net::hostsim;
namespace http = tender::net::http;
namespace test_pki = tender::net::tls::test_pki;

constexpr std::string_view kComponent = "hostsim";
constexpr std::string_view kUsage =
    "usage: tender-hostsim [--port N] [--state-dir DIR] [--max-connections N] [--verbose]\n"
    "       tender-hostsim --help | --version";
constexpr int kExitFailure = 1;
constexpr int kExitBadArguments = 2;

constexpr std::size_t kDefaultMaxConnections = 1024;
constexpr std::size_t kMaxConnectionsLimit = 1'000'000;
// Descriptors beyond the connections: the listener, SQLite, stdio, the PKI files.
constexpr rlim_t kSpareDescriptors = 64;
// How often the summary line is written while requests arrive.
constexpr std::chrono::seconds kSummaryEvery{60};

struct Options {
  std::uint16_t port = 0;
  std::optional<fs::path> state_dir;
  std::size_t max_connections = kDefaultMaxConnections;
  bool verbose = false;
  bool help = false;
  bool version = false;
};

struct BadArguments {
  std::string message;
};

std::variant<Options, BadArguments> parse_arguments(const std::vector<std::string_view>& args) {
  Options options;
  bool port_seen = false;
  bool max_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (arg == "--version") {
      options.version = true;
      continue;
    }
    if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
      continue;
    }
    if (arg != "--port" && arg != "--state-dir" && arg != "--max-connections") {
      return BadArguments{"unknown argument " + std::string(arg)};
    }
    if (i + 1 >= args.size()) return BadArguments{std::string(arg) + " needs a value"};
    const std::string_view value = args[++i];
    if (arg == "--port") {
      if (port_seen) return BadArguments{"--port given twice"};
      port_seen = true;
      const auto port = tender::parse_port(value, 0);
      if (!port) return BadArguments{"--port must be a number from 0 to 65535"};
      options.port = *port;
    } else if (arg == "--max-connections") {
      if (max_seen) return BadArguments{"--max-connections given twice"};
      max_seen = true;
      std::size_t count = 0;
      const auto* end = value.data() + value.size();
      const auto [ptr, ec] = std::from_chars(value.data(), end, count);
      if (value.empty() || ec != std::errc{} || ptr != end || count == 0 || count > kMaxConnectionsLimit) {
        return BadArguments{"--max-connections must be a number from 1 to 1000000"};
      }
      options.max_connections = count;
    } else {
      if (options.state_dir) return BadArguments{"--state-dir given twice"};
      if (value.empty()) return BadArguments{"--state-dir must not be empty"};
      options.state_dir = fs::path(value);
    }
  }
  return options;
}

// The temporary directory of a run without --state-dir, removed on exit.
class TempDir {
 public:
  static std::optional<TempDir> create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "tender-hostsim-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return std::nullopt;
    return TempDir(fs::path(pattern));
  }
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

int fail(std::string_view what, const tender::Error& error) {
  std::cerr << "tender-hostsim: " << what << ": " << tender::log::scrub(error.message) << '\n';
  return kExitFailure;
}

std::string_view describe(const http::ServerAction& action) {
  switch (action.kind) {
    case http::ServerAction::Kind::respond: return "answered";
    case http::ServerAction::Kind::delay: return "answered late";
    case http::ServerAction::Kind::close_connection: return "closed without answering";
    case http::ServerAction::Kind::no_answer: return "left unanswered";
  }
  return "?";
}

// What the simulator answered, by status class: the summary line's counts.
struct Tally {
  std::size_t requests = 0;
  std::size_t ok = 0;           // 1xx-3xx
  std::size_t client_error = 0; // 4xx
  std::size_t server_error = 0; // 5xx
  std::size_t unanswered = 0;   // closed or left without an answer (scripted behaviour)

  void count(const http::ServerAction& action) {
    ++requests;
    const bool answers = action.kind == http::ServerAction::Kind::respond || action.kind == http::ServerAction::Kind::delay;
    if (!answers) {
      ++unanswered;
    } else if (action.response.status >= 500) {
      ++server_error;
    } else if (action.response.status >= 400) {
      ++client_error;
    } else {
      ++ok;
    }
  }

  [[nodiscard]] std::string summary(const http::ServerStats& server) const {
    return std::to_string(requests) + " requests (" + std::to_string(ok) + " ok, " + std::to_string(client_error) +
           " 4xx, " + std::to_string(server_error) + " 5xx, " + std::to_string(unanswered) + " unanswered); " +
           std::to_string(server.connections_accepted) + " connections, peak " + std::to_string(server.peak_connections) +
           " open, " + std::to_string(server.connections_refused) + " refused over the cap, " +
           std::to_string(server.accept_pauses) + " accept pauses";
  }
};

// A fleet needs more descriptors than the usual soft limit (1024): raise it to fit the
// connection cap when the hard limit allows. When it does not, the accept loop pauses at the
// limit instead (net/http/server.hpp).
void raise_descriptor_limit(std::size_t max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t want = static_cast<rlim_t>(max_connections) + kSpareDescriptors;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want) {
    const rlim_t raised = limit.rlim_max == RLIM_INFINITY ? want : std::min(want, limit.rlim_max);
    if (raised > limit.rlim_cur) {
      limit.rlim_cur = raised;
      (void)::setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (raised < want) {
      tender::log::warn(kComponent, "descriptor limit ", raised, " is below --max-connections ", max_connections,
                        " + ", kSpareDescriptors, ": accepting pauses when it is reached");
    }
  }
}

int run(const Options& options) {
  // Certificates: the state directory's, or a temporary directory's.
  std::optional<TempDir> temp = options.state_dir ? std::nullopt : TempDir::create();
  fs::path pki_dir;
  if (options.state_dir) {
    pki_dir = *options.state_dir;
  } else {
    if (!temp) {
      std::cerr << "tender-hostsim: cannot create a temporary directory\n";
      return kExitFailure;
    }
    pki_dir = temp->path();
  }
  auto files = test_pki::ensure_state_dir(pki_dir);
  if (!files) return fail("test PKI", files.error());
  auto tls = test_pki::server_config(*files);
  if (!tls) return fail("server certificate", tls.error());
  if (temp) std::cerr << "tender-hostsim: state in memory; test CA at " << files->ca_cert.string() << '\n';

  std::unique_ptr<hostsim::SqliteStore> store;
  if (options.state_dir) {
    auto opened = hostsim::SqliteStore::open((*options.state_dir / "hostsim.db").string());
    if (!opened) return fail("state database", opened.error());
    store = std::move(*opened);
  }

  auto issuer = tender::app::TestCardIssuer::builtin();
  if (!issuer) return fail("test card issuer", issuer.error());
  tender::app::DukptPinVerifier pin_verifier;
  hostsim::SystemClock clock;
  hostsim::HostSimulator simulator(hostsim::HostSimConfig{}, clock, store.get(), &pin_verifier, &*issuer);
  if (store) {
    if (auto restored = simulator.restore(); !restored) return fail("restoring the state", restored.error());
  }

  boost::asio::io_context io;
  http::ServerOptions server_options;
  server_options.port = options.port;
  server_options.tls = std::move(*tls);
  server_options.max_connections = options.max_connections;
  Tally tally;
  auto server = http::Server::create(
      io, std::move(server_options), [&](http::Request request, http::ServerReply reply) {
        http::ServerAction action = simulator.handle(request);
        tally.count(action);
        // Method, path (no query) and status only: never a body or a header value.
        if (options.verbose) {
          tender::log::info(kComponent, http::to_string(request.method), ' ', request.path(), " -> ",
                            action.response.status, ' ', describe(action));
        }
        reply(std::move(action));
      });
  if (!server) return fail("cannot listen", server.error());
  raise_descriptor_limit(options.max_connections);  // before the first accept (io.run)

  // The summary line: every kSummaryEvery while requests arrive, and once at exit.
  boost::asio::steady_timer summary_timer(io);
  std::size_t summarized = 0;
  std::function<void()> schedule_summary = [&] {
    summary_timer.expires_after(kSummaryEvery);
    summary_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      if (tally.requests != summarized) {
        summarized = tally.requests;
        tender::log::info(kComponent, tally.summary((*server)->stats()));
      }
      schedule_summary();
    });
  };
  schedule_summary();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    tender::log::info(kComponent, "signal ", signal_number, ": stopping");
    summary_timer.cancel();
    (*server)->stop();
    io.stop();
  });

  std::cout << "listening on 127.0.0.1:" << (*server)->port() << std::endl;
  io.run();
  const auto stats = (*server)->stats();
  (*server)->stop();
  tender::log::info(kComponent, tally.summary(stats));
  return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that goes away is a closed connection, not a crash
  std::vector<std::string_view> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  auto parsed = parse_arguments(args);
  if (const auto* bad = std::get_if<BadArguments>(&parsed)) {
    std::cerr << "tender-hostsim: " << tender::log::scrub(bad->message) << " (see tender-hostsim --help)\n";
    return kExitBadArguments;
  }
  const auto& options = std::get<Options>(parsed);
  if (options.help) {
    std::cout << kUsage << '\n';
    return EXIT_SUCCESS;
  }
  if (options.version) {
    std::cout << tender::version_line("tender-hostsim") << '\n';
    return EXIT_SUCCESS;
  }
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "tender-hostsim: " << tender::log::scrub(e.what()) << '\n';
    return kExitFailure;
  }
}
