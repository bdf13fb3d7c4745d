// Aurora ARISE in the product: its configuration block and its adapter
// (net/aurora; the API document is ../shared/specs' aurora-arise).
#include <array>
#include <string_view>

#include "app/config/host_registry.hpp"
#include "net/aurora/aurora_adapter.hpp"

namespace tender::app::config_detail {
namespace {

constexpr std::array<std::string_view, 5> kKeys{"client_id", "client_secret", "client_secret_env",
                                                "payment_processor_id", "oauth_url"};

Result<void> read_block(Object& o, HostSettings& settings) {
  AuroraSettings a;
  auto id = id_field(o, "client_id");
  if (!id) return std::move(id).error();
  a.client_id = std::move(*id);
  auto secret = credential(o, "client_secret");
  if (!secret) return std::move(secret).error();
  a.client_secret = std::move(*secret);
  auto processor = id_field(o, "payment_processor_id");
  if (!processor) return std::move(processor).error();
  a.payment_processor_id = std::move(*processor);
  a.oauth = settings.api;  // the token endpoint is the API's own unless oauth_url says otherwise
  if (o.find("oauth_url") != nullptr) {
    auto url = o.text("oauth_url");
    if (!url) return std::move(url).error();
    auto endpoint = parse_https_url(*url);
    if (!endpoint) return field_error(endpoint.error().code, o.path("oauth_url"), endpoint.error().message);
    a.oauth = std::move(*endpoint);
  }
  settings.aurora = std::move(a);
  return ok();
}

Result<std::unique_ptr<net::host::HostAdapter>> make_adapter(const HostSettings& settings, const AdapterLinks& links) {
  if (!settings.aurora) return make_error(Errc::invalid_argument, "host: no aurora block");
  const AuroraSettings& a = *settings.aurora;
  auto api = links.transport(settings.api);
  if (!api) return std::move(api).error();
  // The same origin gives the same client: one kept-alive connection, requests in order,
  // and the adapter never has a token request and an API request out at once.
  auto oauth = links.transport(a.oauth);
  if (!oauth) return std::move(oauth).error();
  net::aurora::AuroraConfig config;
  config.client_id = a.client_id;
  config.client_secret = a.client_secret;
  config.payment_processor_id = a.payment_processor_id;
  config.currency = settings.currency;
  config.deadline = settings.timeout;
  return std::unique_ptr<net::host::HostAdapter>(
      std::make_unique<net::aurora::AuroraAdapter>(**api, **oauth, std::move(config)));
}

}  // namespace

const HostEntry kAuroraHost{net::host::HostKind::aurora, kKeys, read_block, make_adapter};

}  // namespace tender::app::config_detail
