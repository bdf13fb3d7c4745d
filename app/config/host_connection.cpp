// The configured host adapter on its HTTPS client(s).
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "app/config/host_registry.hpp"
#include "app/config/settings.hpp"
#include "net/http/client.hpp"

namespace tender::app {

// One HTTPS client per origin, and the wrapper around it, if any.
struct Origin {
  HttpsEndpoint endpoint;
  std::unique_ptr<net::http::Client> client;
  std::unique_ptr<net::http::Transport> wrapper;  // connect_host's `wrap`
  [[nodiscard]] net::http::Transport* transport() const {
    return wrapper ? wrapper.get() : static_cast<net::http::Transport*>(client.get());
  }
};

// Members in construction order: the adapter refers to the wrappers and clients, so it is
// destroyed first.
struct HostConnection::Impl {
  std::vector<Origin> origins;
  std::unique_ptr<net::host::HostAdapter> adapter;
};

HostConnection::HostConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HostConnection::HostConnection(HostConnection&&) noexcept = default;
HostConnection& HostConnection::operator=(HostConnection&&) noexcept = default;
HostConnection::~HostConnection() = default;

net::host::HostAdapter& HostConnection::adapter() noexcept { return *impl_->adapter; }

namespace {

// A CA bundle is a few certificates; a bigger file is not one.
constexpr std::size_t kMaxCaBytes = 1024 * 1024;

Result<std::string> read_ca(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "host.ca_file: " + file.string() + " cannot be opened");
  std::string pem;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    pem.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (pem.size() > kMaxCaBytes) return make_error(Errc::out_of_range, "host.ca_file: larger than 1 MiB");
  }
  if (in.bad()) return make_error(Errc::io_error, "host.ca_file: " + file.string() + " cannot be read");
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return make_error(Errc::malformed, "host.ca_file: " + file.string() + " holds no PEM certificate");
  return pem;
}

Result<std::unique_ptr<net::http::Client>> make_client(boost::asio::io_context& io, const HttpsEndpoint& endpoint,
                                                       const HostSettings& settings, const std::string& ca_pem) {
  net::http::ClientOptions options;
  options.host = endpoint.host;
  options.port = endpoint.port;
  options.server_name = settings.server_name;
  options.tls.ca_pem = ca_pem;
  auto client = net::http::Client::create(io, std::move(options));
  if (!client) {
    Error e = std::move(client).error();
    e.message = "host: " + e.message;
    return e;
  }
  return client;
}

}  // namespace

Result<HostConnection> connect_host(boost::asio::io_context& io, const HostSettings& settings,
                                    const ConnectOptions& options) {
  const config_detail::HostEntry* entry = config_detail::host_entry(settings.kind);
  if (entry == nullptr)
    return make_error(Errc::invalid_argument, "host: no adapter for host.kind " + std::string(to_string(settings.kind)));
  std::string ca = options.ca_pem;
  if (ca.empty()) {
    auto read = read_ca(settings.ca_file);
    if (!read) return std::move(read).error();
    ca = std::move(*read);
  }
  auto impl = std::make_unique<HostConnection::Impl>();
  // The API's client first: a CA or name that no client accepts fails here, before any
  // host-specific reading.
  config_detail::AdapterLinks links;
  links.unix_now = options.unix_now;
  links.transport = [&](const HttpsEndpoint& endpoint) -> Result<net::http::Transport*> {
    for (const Origin& o : impl->origins) {
      if (o.endpoint == endpoint) return o.transport();
    }
    auto client = make_client(io, endpoint, settings, ca);
    if (!client) return std::move(client).error();
    Origin o{endpoint, std::move(*client), nullptr};
    if (options.wrap) o.wrapper = options.wrap(*o.client);
    impl->origins.push_back(std::move(o));
    return impl->origins.back().transport();
  };
  if (auto api = links.transport(settings.api); !api) return std::move(api).error();
  auto adapter = entry->make_adapter(settings, links);
  if (!adapter) return std::move(adapter).error();
  impl->adapter = std::move(*adapter);
  return HostConnection{std::move(impl)};
}

}  // namespace tender::app
