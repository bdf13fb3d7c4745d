// FullStack's gateway in the product: its configuration block and its adapter
// (net/fullstack; the API document is ../shared/specs' fullstack).
#include <array>
#include <string_view>

#include "app/config/host_registry.hpp"
#include "net/fullstack/fullstack_adapter.hpp"

namespace tender::app::config_detail {
namespace {

constexpr std::array<std::string_view, 4> kKeys{"api_key", "api_key_env", "terminal_id", "processor_id"};

Result<void> read_block(Object& o, HostSettings& settings) {
  FullStackSettings f;
  auto key = credential(o, "api_key");
  if (!key) return std::move(key).error();
  f.api_key = std::move(*key);
  auto terminal = id_field(o, "terminal_id");
  if (!terminal) return std::move(terminal).error();
  f.terminal_id = std::move(*terminal);
  if (o.find("processor_id") != nullptr) {  // optional: the merchant's default processor otherwise
    auto processor = id_field(o, "processor_id");
    if (!processor) return std::move(processor).error();
    f.processor_id = std::move(*processor);
  }
  settings.fullstack = std::move(f);
  return ok();
}

Result<std::unique_ptr<net::host::HostAdapter>> make_adapter(const HostSettings& settings, const AdapterLinks& links) {
  if (!settings.fullstack) return make_error(Errc::invalid_argument, "host: no fullstack block");
  const FullStackSettings& f = *settings.fullstack;
  auto api = links.transport(settings.api);
  if (!api) return std::move(api).error();
  net::fullstack::FullStackConfig config;
  config.api_key = f.api_key;
  config.terminal_id = f.terminal_id;
  config.processor_id = f.processor_id;
  config.currency = settings.currency;
  config.deadline = settings.timeout;
  if (links.unix_now) config.unix_now = links.unix_now;
  return std::unique_ptr<net::host::HostAdapter>(std::make_unique<net::fullstack::FullStackAdapter>(**api, std::move(config)));
}

}  // namespace

const HostEntry kFullStackHost{net::host::HostKind::fullstack, kKeys, read_block, make_adapter};

}  // namespace tender::app::config_detail
