// The configured host adapter on its HTTPS client(s).
#include <fstream>
#include <iterator>
#include <memory>

#include "app/config/settings.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/http/client.hpp"

namespace tender::app {

// Members in construction order: the adapter refers to the wrappers and clients, the
// wrappers to the clients, so it goes first.
struct HostConnection::Impl {
  std::unique_ptr<net::http::Client> api;
  std::unique_ptr<net::http::Client> oauth;  // Aurora with a separate token origin only
  std::unique_ptr<net::http::Transport> api_wrapper;    // connect_host's `wrap`, if any
  std::unique_ptr<net::http::Transport> oauth_wrapper;
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
                                    const TransportWrapper& wrap) {
  auto ca = read_ca(settings.ca_file);
  if (!ca) return std::move(ca).error();
  auto impl = std::make_unique<HostConnection::Impl>();
  auto api_client = make_client(io, settings.api, settings, *ca);
  if (!api_client) return std::move(api_client).error();
  impl->api = std::move(*api_client);
  net::http::Transport* api = impl->api.get();
  if (wrap) {
    impl->api_wrapper = wrap(*api);
    api = impl->api_wrapper.get();
  }

  if (settings.kind == HostKind::aurora && settings.aurora) {
    const AuroraSettings& a = *settings.aurora;
    // One origin, one kept-alive connection: the client sends requests in order, and
    // the adapter never has a token request and an API request out at once.
    net::http::Transport* oauth = api;
    if (!(a.oauth == settings.api)) {
      auto client = make_client(io, a.oauth, settings, *ca);
      if (!client) return std::move(client).error();
      impl->oauth = std::move(*client);
      oauth = impl->oauth.get();
      if (wrap) {
        impl->oauth_wrapper = wrap(*oauth);
        oauth = impl->oauth_wrapper.get();
      }
    }
    net::aurora::AuroraConfig config;
    config.client_id = a.client_id;
    config.client_secret = a.client_secret;
    config.payment_processor_id = a.payment_processor_id;
    config.currency = settings.currency;
    config.deadline = settings.timeout;
    impl->adapter = std::make_unique<net::aurora::AuroraAdapter>(*api, *oauth, std::move(config));
  } else if (settings.kind == HostKind::fullstack && settings.fullstack) {
    const FullStackSettings& f = *settings.fullstack;
    net::fullstack::FullStackConfig config;
    config.api_key = f.api_key;
    config.terminal_id = f.terminal_id;
    config.processor_id = f.processor_id;
    config.currency = settings.currency;
    config.deadline = settings.timeout;
    impl->adapter = std::make_unique<net::fullstack::FullStackAdapter>(*api, std::move(config));
  } else {
    return make_error(Errc::invalid_argument, "host: no settings for host.kind " + std::string(to_string(settings.kind)));
  }
  return HostConnection{std::move(impl)};
}

}  // namespace tender::app
