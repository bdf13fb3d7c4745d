// ConnexPay's Sales API in the product: its configuration block and its adapter
// (net/connexpay; the API document is ../shared/specs' connexpay).
#include <array>
#include <string_view>

#include "app/config/host_registry.hpp"
#include "net/connexpay/connexpay_adapter.hpp"
#include "net/connexpay/connexpay_mapping.hpp"

namespace tender::app::config_detail {
namespace {

constexpr std::array<std::string_view, 5> kKeys{"username", "password", "password_env", "device_guid", "merchant_guid"};

// ConnexPay's ids are GUIDs in their 36-character text form ("80fa8f43-701e-441a-959b-
// 1b597b22a0d5", H L665), checked as the adapter checks every guid it uses: a typo caught
// here is not a refused transaction at the counter.
Result<std::string> guid_field(const Object& o, std::string_view key) {
  auto v = id_field(o, key);
  if (!v) return v;
  if (!net::connexpay::is_uuid(*v)) return field_error(Errc::malformed, o.path(key), "must be a GUID (8-4-4-4-12 hexadecimal digits)");
  return v;
}

Result<void> read_block(Object& o, HostSettings& settings) {
  ConnexPaySettings c;
  auto user = id_field(o, "username");
  if (!user) return std::move(user).error();
  c.username = std::move(*user);
  auto password = credential(o, "password");
  if (!password) return std::move(password).error();
  c.password = std::move(*password);
  auto device = guid_field(o, "device_guid");
  if (!device) return std::move(device).error();
  c.device_guid = std::move(*device);
  auto merchant = guid_field(o, "merchant_guid");
  if (!merchant) return std::move(merchant).error();
  c.merchant_guid = std::move(*merchant);
  settings.connexpay = std::move(c);
  return ok();
}

Result<std::unique_ptr<net::host::HostAdapter>> make_adapter(const HostSettings& settings, const AdapterLinks& links) {
  if (!settings.connexpay) return make_error(Errc::invalid_argument, "host: no connexpay block");
  const ConnexPaySettings& c = *settings.connexpay;
  auto api = links.transport(settings.api);  // the token endpoint is on the API's origin
  if (!api) return std::move(api).error();
  net::connexpay::ConnexPayConfig config;
  config.username = c.username;
  config.password = c.password;
  config.device_guid = c.device_guid;
  config.merchant_guid = c.merchant_guid;
  config.currency = settings.currency;
  config.deadline = settings.timeout;
  if (links.unix_now) config.unix_now = links.unix_now;
  return std::unique_ptr<net::host::HostAdapter>(std::make_unique<net::connexpay::ConnexPayAdapter>(**api, std::move(config)));
}

}  // namespace

const HostEntry kConnexPayHost{net::host::HostKind::connexpay, kKeys, read_block, make_adapter};

}  // namespace tender::app::config_detail
