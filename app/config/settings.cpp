#include "app/config/settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config/device_key.hpp"
#include "app/config/host_registry.hpp"
#include "app/config/json_fields.hpp"
#include "common/port.hpp"
#include "common/secure_zero.hpp"

namespace tender::app {
namespace {

using config_detail::Json;
using config_detail::Object;
using config_detail::credential;
using config_detail::field_error;
using config_detail::id_field;
using config_detail::secret_from_env;
using config_detail::secret_hex_into;

// A config file is a page of JSON; anything much larger is not one.
constexpr std::uintmax_t kMaxFileBytes = 256 * 1024;

constexpr std::size_t kMaxTextLength = 64;     // merchant name, one address line
constexpr std::size_t kMaxAddressLines = 6;

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }

Result<std::string> text_value(const Json& value, const std::string& path) {
  if (!value.is_string()) return field_error(Errc::malformed, path, "must be a string");
  const auto& s = value.get_ref<const std::string&>();
  if (s.empty() || s.size() > kMaxTextLength)
    return field_error(Errc::out_of_range, path, "must be 1 to 64 characters");
  if (std::any_of(s.begin(), s.end(), is_control))
    return field_error(Errc::malformed, path, "must not contain control characters");
  return s;
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& text) {
  std::filesystem::path p{text};
  if (p.is_relative() && !base.empty()) p = base / p;
  return p.lexically_normal();
}

Result<std::filesystem::path> path_field(const Object& o, std::string_view key, const std::filesystem::path& base) {
  auto v = o.text(key);
  if (!v) return std::move(v).error();
  if (v->empty()) return field_error(Errc::out_of_range, o.path(key), "must not be empty");
  if (v->find('\0') != std::string::npos) return field_error(Errc::malformed, o.path(key), "must not contain NUL");
  return resolve(base, *v);
}

Result<std::chrono::milliseconds> millis(const Object& o, std::string_view key, std::int64_t fallback,
                                         std::int64_t min, std::int64_t max) {
  auto v = o.integer_or(key, fallback, min, max);
  if (!v) return std::move(v).error();
  return std::chrono::milliseconds{*v};
}

Result<MerchantInfo> merchant(const Object& parent) {
  auto o = parent.object("merchant", {"name", "address", "merchant_id"});
  if (!o) return std::move(o).error();
  MerchantInfo m;
  auto name = o->required("name");
  if (!name) return std::move(name).error();
  auto name_text = text_value(**name, o->path("name"));
  if (!name_text) return std::move(name_text).error();
  m.name = std::move(*name_text);
  if (const Json* address = o->find("address")) {
    const std::string path = o->path("address");
    if (!address->is_array()) return field_error(Errc::malformed, path, "must be an array of strings");
    if (address->size() > kMaxAddressLines) return field_error(Errc::out_of_range, path, "must have at most 6 lines");
    for (std::size_t i = 0; i < address->size(); ++i) {
      auto line = text_value((*address)[i], path + "[" + std::to_string(i) + "]");
      if (!line) return std::move(line).error();
      m.address.push_back(std::move(*line));
    }
  }
  auto mid = id_field(*o, "merchant_id");
  if (!mid) return std::move(mid).error();
  m.merchant_id = std::move(*mid);
  return m;
}

Result<HostSettings> host(Object& root, Currency currency, const std::filesystem::path& base) {
  std::vector<std::string_view> keys{"kind", "url", "ca_file", "server_name", "timeout_ms"};
  for (const auto& [kind, name] : net::host::kHostKinds) keys.push_back(name);  // each host's block
  auto o = root.object("host", keys);
  if (!o) return std::move(o).error();
  HostSettings h;
  h.currency = currency;
  auto kind_name = o->text("kind");
  if (!kind_name) return std::move(kind_name).error();
  const auto kind = net::host::host_kind_from(*kind_name);
  const config_detail::HostEntry* entry = kind ? config_detail::host_entry(*kind) : nullptr;
  if (entry == nullptr)
    return field_error(Errc::out_of_range, o->path("kind"), "must be " + net::host::host_kind_choices());
  h.kind = *kind;
  auto url = o->text("url");
  if (!url) return std::move(url).error();
  auto api = parse_https_url(*url);
  if (!api) return field_error(api.error().code, o->path("url"), api.error().message);
  h.api = std::move(*api);
  auto ca = path_field(*o, "ca_file", base);
  if (!ca) return std::move(ca).error();
  h.ca_file = std::move(*ca);
  if (o->find("server_name") != nullptr) {
    auto name = id_field(*o, "server_name");
    if (!name) return std::move(name).error();
    h.server_name = std::move(*name);
  }
  auto timeout = millis(*o, "timeout_ms", 30000, 100, 300000);
  if (!timeout) return std::move(timeout).error();
  h.timeout = *timeout;
  // Another host's block would be ignored, and an ignored block is a typo waiting.
  for (const auto& [other, name] : net::host::kHostKinds) {
    if (other != h.kind && o->find(name) != nullptr)
      return field_error(Errc::invalid_argument, o->path(name), "given but host.kind is " + *kind_name);
  }
  auto block = o->object(*kind_name, entry->block_keys);
  if (!block) return std::move(block).error();
  if (auto r = entry->read_block(*block, h); !r) return std::move(r).error();
  return h;
}

Result<void> engine_block(const Object& root, TerminalSettings& s) {
  if (root.find("engine") == nullptr) return ok();  // every engine field has a default
  auto o = root.object("engine", {"surcharge", "surcharge_state", "surcharge_country", "partial", "offline_swipe_limit",
                                  "offline_queue_cap", "prompt_timeout_ms", "host_timeout_ms", "receipt_width"});
  if (!o) return std::move(o).error();
  EngineConfig& e = s.engine;
  auto surcharge = o->boolean_or("surcharge", e.surcharge);
  if (!surcharge) return std::move(surcharge).error();
  e.surcharge = *surcharge;
  // Where the merchant is, for the host's surcharge price: two capital letters each
  // (a US state or other ISO 3166-2 subdivision code; an ISO 3166-1 alpha-2 country).
  for (const auto& [key, target] : {std::pair{"surcharge_state", &e.surcharge_state},
                                    std::pair{"surcharge_country", &e.surcharge_country}}) {
    if (o->find(key) == nullptr) continue;
    auto code = o->text(key);
    if (!code) return std::move(code).error();
    const bool letters = code->size() == 2 && std::all_of(code->begin(), code->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!letters) return field_error(Errc::malformed, o->path(key), "must be two capital letters");
    *target = std::move(*code);
  }
  if (o->find("partial") != nullptr) {
    auto partial = o->text("partial");
    if (!partial) return std::move(partial).error();
    if (*partial == "ask") {
      e.partial = PartialPolicy::ask;
    } else if (*partial == "accept") {
      e.partial = PartialPolicy::accept;
    } else if (*partial == "reverse") {
      e.partial = PartialPolicy::reverse;
    } else {
      return field_error(Errc::out_of_range, o->path("partial"), "must be \"ask\", \"accept\" or \"reverse\"");
    }
  }
  if (o->find("offline_swipe_limit") != nullptr) {
    const std::string path = o->path("offline_swipe_limit");
    auto text = o->text("offline_swipe_limit");
    if (!text) return field_error(Errc::malformed, path, "must be a decimal string such as \"50.00\"");
    auto limit = Money::parse(*text, e.currency);
    if (!limit) return field_error(Errc::malformed, path, "must be a decimal amount in the configured currency");
    if (limit->minor_units() < 0) return field_error(Errc::out_of_range, path, "must not be negative");
    e.offline_swipe_limit = limit->minor_units();
  }
  auto cap = o->integer_or("offline_queue_cap", static_cast<std::int64_t>(s.journal.offline_queue_cap), 0, 100000);
  if (!cap) return std::move(cap).error();
  s.journal.offline_queue_cap = static_cast<std::size_t>(*cap);
  auto prompt = millis(*o, "prompt_timeout_ms", e.prompt_timeout.count(), 1000, 600000);
  if (!prompt) return std::move(prompt).error();
  e.prompt_timeout = *prompt;
  auto guard = millis(*o, "host_timeout_ms", e.host_timeout.count(), 100, 600000);
  if (!guard) return std::move(guard).error();
  e.host_timeout = *guard;
  auto width = o->integer_or("receipt_width", e.receipt_width, 24, 80);
  if (!width) return std::move(width).error();
  e.receipt_width = static_cast<int>(*width);
  return ok();
}

// "HOST[:PORT]" of a raw TCP printer; the port defaults to 9100 (AppSocket).
Result<void> tcp_printer(const Object& o, PrinterSettings& p) {
  auto text = o.text("tcp");
  if (!text) return std::move(text).error();
  const std::string path = o.path("tcp");
  const auto colon = text->find(':');
  p.tcp_host = text->substr(0, colon);
  const bool host_ok = !p.tcp_host.empty() && p.tcp_host.size() <= 253 &&
                       std::all_of(p.tcp_host.begin(), p.tcp_host.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.';
                       });
  if (!host_ok) return field_error(Errc::malformed, path, "must be HOST[:PORT] with a host name or IPv4 address");
  if (colon == std::string::npos) return ok();
  const auto port = parse_port(std::string_view(*text).substr(colon + 1));
  if (!port && port.error().code == Errc::out_of_range)
    return field_error(Errc::out_of_range, path, "has a port outside 1 to 65535");
  if (!port) return field_error(Errc::malformed, path, "has a bad port (digits, 1 to 65535)");
  p.tcp_port = *port;
  return ok();
}

Result<PrinterSettings> printer(const Object& devices, const std::filesystem::path& base) {
  auto o = devices.object("printer", {"file", "tcp", "none"});
  if (!o) return std::move(o).error();
  const int given = (o->find("file") != nullptr) + (o->find("tcp") != nullptr) + (o->find("none") != nullptr);
  if (given != 1)
    return field_error(Errc::invalid_argument, devices.path("printer"), "must give exactly one of file, tcp, none");
  PrinterSettings p;
  if (o->find("file") != nullptr) {
    auto file = path_field(*o, "file", base);
    if (!file) return std::move(file).error();
    p.kind = PrinterKind::file;
    p.file = std::move(*file);
  } else if (o->find("tcp") != nullptr) {
    p.kind = PrinterKind::tcp;
    if (auto r = tcp_printer(*o, p); !r) return std::move(r).error();
  } else {
    const Json* none = o->find("none");
    if (!none->is_boolean()) return field_error(Errc::malformed, o->path("none"), "must be true or false");
    // false would say "there is a printer" without saying which.
    if (!none->get<bool>()) return field_error(Errc::out_of_range, o->path("none"), "must be true (or give file or tcp)");
  }
  return p;
}

Result<PinPadSettings> pin_pad(const Object& devices) {
  auto o = devices.object("pin_pad", {"kind", "ksn", "initial_key_env"});
  if (!o) return std::move(o).error();
  auto kind = o->text("kind");
  if (!kind) return std::move(kind).error();
  PinPadSettings p;
  if (*kind == "none") {
    for (std::string_view key : {"ksn", "initial_key_env"})
      if (o->find(key) != nullptr) return field_error(Errc::invalid_argument, o->path(key), "given but pin_pad.kind is none");
    return p;
  }
  if (*kind != "soft") return field_error(Errc::out_of_range, o->path("kind"), "must be \"soft\" or \"none\"");
  p.kind = PinPadKind::soft;
  // A terminal holds the initial key injected for its KSN, never the BDK (X9.24-1 A.2):
  // both are the key-injection operator's, so neither has a default here.
  auto ksn = o->text("ksn");
  if (!ksn) return std::move(ksn).error();
  auto bytes = from_hex_exact(*ksn, 10);
  if (!bytes) return field_error(Errc::malformed, o->path("ksn"), "must be 20 hex digits (a TDES DUKPT KSN)");
  p.initial_ksn = std::move(*bytes);
  auto name = o->text("initial_key_env");
  if (!name) return std::move(name).error();
  auto hex = secret_from_env(*name, o->path("initial_key_env"));
  if (!hex) return std::move(hex).error();
  p.initial_key = SecretBytes(16);
  if (secret_hex_into(hex->reveal(), p.initial_key.mutable_bytes())) return p;
  p.initial_key.clear();
  return field_error(Errc::malformed, o->path("initial_key_env"),
                     "environment variable " + *name + " must hold 32 hex digits (a TDES DUKPT initial key)");
}

Result<DisplaySettings> display(const Object& devices) {
  auto o = devices.object("display", {"kind", "size"});
  if (!o) return std::move(o).error();
  DisplaySettings d;
  auto kind = o->text("kind");
  if (!kind) return std::move(kind).error();
  if (*kind == "curses") {
    d.kind = DisplayKind::curses;
  } else if (*kind == "lines") {
    d.kind = DisplayKind::lines;
  } else {
    return field_error(Errc::out_of_range, o->path("kind"), "must be \"curses\" or \"lines\"");
  }
  if (o->find("size") != nullptr) {
    auto size = o->text("size");
    if (!size) return std::move(size).error();
    if (*size == "4x20") {
      d.size = ui::DisplaySize::lines4x20;
    } else if (*size == "320x240") {
      d.size = ui::DisplaySize::qvga;
    } else {
      return field_error(Errc::out_of_range, o->path("size"), "must be \"4x20\" or \"320x240\"");
    }
  }
  return d;
}

Result<DeviceSettings> devices(const Object& root, const std::filesystem::path& base) {
  DeviceSettings d;
  if (root.find("devices") == nullptr) return d;
  auto o = root.object("devices", {"card_reader", "msr", "pin_pad", "printer", "display"});
  if (!o) return std::move(o).error();
  if (o->find("card_reader") != nullptr) {
    auto r = o->object("card_reader", {"pcsc"});
    if (!r) return std::move(r).error();
    auto name = r->text("pcsc");  // "" is allowed: the first reader
    if (!name) return std::move(name).error();
    if (name->size() > 128) return field_error(Errc::out_of_range, r->path("pcsc"), "must be at most 128 characters");
    if (std::any_of(name->begin(), name->end(), is_control))
      return field_error(Errc::malformed, r->path("pcsc"), "must not contain control characters");
    d.chip_reader = ChipReaderSettings{std::move(*name)};
  }
  if (o->find("msr") != nullptr) {
    auto m = o->object("msr", {"evdev", "inter_char_timeout_ms"});
    if (!m) return std::move(m).error();
    auto path = path_field(*m, "evdev", base);
    if (!path) return std::move(path).error();
    auto gap = millis(*m, "inter_char_timeout_ms", 100, 10, 2000);
    if (!gap) return std::move(gap).error();
    d.msr = StripeReaderSettings{std::move(*path), *gap};
  }
  if (o->find("pin_pad") != nullptr) {
    auto p = pin_pad(*o);
    if (!p) return std::move(p).error();
    d.pin_pad = std::move(*p);
  }
  if (o->find("printer") != nullptr) {
    auto p = printer(*o, base);
    if (!p) return std::move(p).error();
    d.printer = std::move(*p);
  }
  if (o->find("display") != nullptr) {
    auto s = display(*o);
    if (!s) return std::move(s).error();
    d.display = *s;
  }
  return d;
}

}  // namespace

Result<HttpsEndpoint> parse_https_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  if (!url.starts_with(scheme)) return make_error(Errc::malformed, "must start with https://");
  std::string_view rest = url.substr(scheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos)
    return make_error(Errc::malformed, "must have no path, query or fragment (https://HOST[:PORT])");
  if (rest.find('@') != std::string_view::npos) return make_error(Errc::malformed, "must not carry user info");
  HttpsEndpoint e;
  std::optional<std::string_view> port;
  if (rest.starts_with('[')) {  // IPv6 literal
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return make_error(Errc::malformed, "has an unclosed [ in the host");
    e.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return make_error(Errc::malformed, "has text after the host");
    if (!rest.empty()) port = rest.substr(1);
    if (e.host.empty() || e.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
      return make_error(Errc::malformed, "has a bad IPv6 address");
  } else {
    const auto colon = rest.find(':');
    e.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
    if (e.host.empty()) return make_error(Errc::malformed, "has no host");
    const bool host_ok = e.host.size() <= 253 && std::all_of(e.host.begin(), e.host.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
    if (!host_ok) return make_error(Errc::malformed, "has a bad host name");
  }
  if (port) {
    const auto value = parse_port(*port);
    if (!value && value.error().code == Errc::out_of_range)
      return make_error(Errc::out_of_range, "has a port outside 1 to 65535");
    if (!value) return make_error(Errc::malformed, "has a bad port (digits, 1 to 65535)");
    e.port = *value;
  }
  return e;
}

Result<TerminalSettings> parse_settings(std::string_view json_text, const std::filesystem::path& base_dir) {
  auto parsed = config_detail::parse_json(json_text);
  if (!parsed) return std::move(parsed).error();
  Json& doc = *parsed;
  auto root = Object::open(doc, "", {"terminal_id", "merchant", "currency", "state_dir", "device_key", "host", "engine",
                                            "devices", "emv"});
  if (!root) return std::move(root).error();

  TerminalSettings s;
  auto terminal_id = id_field(*root, "terminal_id");
  if (!terminal_id) return std::move(terminal_id).error();
  s.engine.terminal_id = *terminal_id;
  auto m = merchant(*root);
  if (!m) return std::move(m).error();
  s.engine.merchant = std::move(*m);
  s.engine.merchant.terminal_id = std::move(*terminal_id);

  auto alpha = root->text("currency");
  if (!alpha) return std::move(alpha).error();
  const auto currency = currency_by_alpha(*alpha);
  if (!currency) return field_error(Errc::out_of_range, "currency", "is not an ISO 4217 code the terminal knows");
  s.engine.currency = *currency;

  auto state_dir = path_field(*root, "state_dir", base_dir);
  if (!state_dir) return std::move(state_dir).error();
  s.state_dir = std::move(*state_dir);

  auto key = config_detail::device_key(*root, base_dir);
  if (!key) return std::move(key).error();
  s.device_key = key->key;
  s.test_device_key = key->test;

  auto h = host(*root, *currency, base_dir);
  if (!h) return std::move(h).error();
  s.host = std::move(*h);

  if (auto e = engine_block(*root, s); !e) return std::move(e).error();
  auto d = devices(*root, base_dir);
  if (!d) return std::move(d).error();
  s.devices = std::move(*d);
  if (root->find("emv") != nullptr) {
    auto e = root->object("emv", {"terminal_file", "capk_file"});
    if (!e) return std::move(e).error();
    for (const auto& [field, target] : {std::pair{"terminal_file", &s.emv.terminal_file},
                                        std::pair{"capk_file", &s.emv.capk_file}}) {
      if (e->find(field) == nullptr) continue;
      auto file = path_field(*e, field, base_dir);
      if (!file) return std::move(file).error();
      *target = std::move(*file);
    }
  }
  // The engine's guard must outlast the adapter's own deadline, or every slow answer
  // becomes an engine timeout with the request still out.
  if (s.engine.host_timeout <= s.host.timeout)
    return field_error(Errc::invalid_argument, "engine.host_timeout_ms", "must be longer than host.timeout_ms");
  return s;
}

namespace {

// The file in one buffer (no stream copies): it may carry a host credential. The caller
// wipes it.
Result<std::string> read_config(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return make_error(Errc::not_found, "config file " + path.string() + " does not exist");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(Errc::io_error, "config file " + path.string() + " cannot be read");
  if (size > kMaxFileBytes) return make_error(Errc::out_of_range, "config file " + path.string() + " is larger than 256 KiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "config file " + path.string() + " cannot be opened");
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.gcount() != static_cast<std::streamsize>(content.size())) {
    secure_zero(content.data(), content.size());
    return make_error(Errc::io_error, "config file " + path.string() + " cannot be read");
  }
  return content;
}

Error in_file(const std::filesystem::path& path, Error e) {
  e.message = path.filename().string() + ": " + e.message;
  return e;
}

}  // namespace

Result<TerminalSettings> load_settings(const std::filesystem::path& path) {
  auto content = read_config(path);
  if (!content) return std::move(content).error();
  auto settings = parse_settings(*content, path.parent_path());
  secure_zero(content->data(), content->size());
  if (!settings) return in_file(path, std::move(settings).error());
  return settings;
}

Result<std::filesystem::path> load_journal_file(const std::filesystem::path& path) {
  auto content = read_config(path);
  if (!content) return std::move(content).error();
  auto doc = config_detail::parse_json(*content);
  secure_zero(content->data(), content->size());
  if (!doc) return in_file(path, std::move(doc).error());
  if (!doc->is_object()) return in_file(path, make_error(Errc::malformed, "the document must be an object"));
  // Only state_dir is read; the rest of the file is load_settings' business.
  const auto it = doc->find("state_dir");
  if (it == doc->end()) return in_file(path, field_error(Errc::invalid_argument, "state_dir", "missing"));
  Json only = Json::object({{"state_dir", *it}});
  auto o = Object::open(only, "", {"state_dir"});
  if (!o) return in_file(path, std::move(o).error());
  auto dir = path_field(*o, "state_dir", path.parent_path());
  if (!dir) return in_file(path, std::move(dir).error());
  return *dir / TerminalSettings::kJournalFileName;
}

}  // namespace tender::app
