// The page's side of the bench: a FrontEnd that records what the display shows and what the
// panels hold as one JSON state (the server streams it to the page), and takes the page's
// keys and card actions from a queue the server fills. The bench runs on the main thread,
// the server on its own; the state and the queues are shared under one mutex.
#include "app/emu/web_front.hpp"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "app/emu/web_server.hpp"
#include "common/log.hpp"
#include "common/port.hpp"

namespace tender::app::emu {
namespace {

using Json = nlohmann::json;

// The host messages the page keeps: the newest ones (a long session would grow every event).
constexpr std::size_t kMessagesShown = 30;
// Raw track data as a reader gives it: tracks 1 and 2 with sentinels fit well within this.
constexpr std::size_t kMaxTrackText = 256;

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

// One host message as the page lists it: already masked where it was recorded
// (mask_host_body), and scrubbed once more, the way a log line is.
Json message_json(const HostRequest& m) {
  Json out{{"method", m.method}, {"path", log::scrub(m.path)}};
  if (!m.body.is_null()) out["body"] = log::scrub(m.body.dump(2));
  if (m.status) out["status"] = *m.status;
  if (!m.response.is_null()) out["response"] = log::scrub(m.response.dump(2));
  if (m.error) out["error"] = log::scrub(*m.error);
  return out;
}

class WebFront final : public FrontEnd {
 public:
  explicit WebFront(ui::DisplaySize size) : size_(size) {}

  void attach(WebServer* server) {
    std::lock_guard lock(mutex_);
    server_ = server;
  }

  // --- the bench's side (main thread) ---
  void show(const ui::ScreenData& screen) override {
    auto rows = ui::layout(screen, size_);
    std::lock_guard lock(mutex_);
    // The PIN screen is shown again every turn of the PED's wait: only a change is news.
    if (rows == rows_ && screen.id == screen_ && screen.pin_digits == pin_digits_) return;
    rows_ = std::move(rows);
    screen_ = screen.id;
    pin_digits_ = screen.pin_digits;
    changed();
  }

  void update(const BenchView& view) override {
    Json cards = Json::array();
    for (const auto& c : view.cards) cards.push_back({{"name", c.name}, {"chip", c.chip}});
    // As printed: the receipt's own masking (first 6 / last 4) is the rule for paper, and a
    // scrub would also cut the AID's digit run, which a receipt shows in clear.
    Json receipt = view.receipt;
    Json messages = Json::array();
    const std::size_t first = view.messages.size() > kMessagesShown ? view.messages.size() - kMessagesShown : 0;
    for (std::size_t i = first; i < view.messages.size(); ++i) messages.push_back(message_json(view.messages[i]));
    Json panels{{"cards", std::move(cards)},
                {"chosen", view.chosen},
                {"status", log::scrub(view.status)},
                {"host", view.host},
                {"receipt", std::move(receipt)},
                {"printed", view.printed},
                {"messages", std::move(messages)},
                {"messages_total", view.messages.size()},
                {"transaction", view.transaction}};
    std::lock_guard lock(mutex_);
    panels_ = std::move(panels);
    status_ = view.status;
    changed();
  }

  std::optional<ui::Key> read_key(std::chrono::milliseconds wait) override {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, wait, [this] { return !keys_.empty() || g_stop; })) return std::nullopt;
    if (keys_.empty()) return std::nullopt;
    const ui::Key key = keys_.front();
    keys_.pop_front();
    return key;
  }

  std::optional<CardAction> next_card_action() override {
    std::lock_guard lock(mutex_);
    if (cards_.empty()) return std::nullopt;
    CardAction action = std::move(cards_.front());
    cards_.pop_front();
    return action;
  }

  [[nodiscard]] bool cancel_quits() const override { return false; }
  [[nodiscard]] bool stopped() const override { return g_stop; }

  std::string status() {
    std::lock_guard lock(mutex_);
    return log::scrub(status_);
  }

  // --- the server's side (its thread) ---
  std::string state() {
    std::lock_guard lock(mutex_);
    return state_;
  }

  Result<void> input(std::string_view body) {
    auto parsed = parse_page_input(body);
    if (!parsed) return std::move(parsed).error();
    std::lock_guard lock(mutex_);
    if (const auto* key = std::get_if<ui::Key>(&*parsed)) {
      keys_.push_back(*key);
    } else {
      // The bench takes it on its next turn (it waits for keys 50 ms at most).
      cards_.push_back(std::get<CardAction>(std::move(*parsed)));
    }
    cv_.notify_all();
    return ok();
  }

 private:
  // Under the mutex: the new state, and the pages are told.
  void changed() {
    Json display{{"size", size_ == ui::DisplaySize::qvga ? "320x240" : "4x20"},
                 {"rows", rows_},
                 {"screen", ui::to_string(screen_)},
                 {"pin_digits", pin_digits_}};
    Json state = panels_.is_object() ? panels_ : Json::object();
    state["display"] = std::move(display);
    state["seq"] = ++seq_;
    state_ = state.dump();
    if (server_ != nullptr) server_->publish();
  }

  ui::DisplaySize size_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<ui::Key> keys_;
  std::deque<CardAction> cards_;
  std::vector<std::string> rows_;
  ui::ScreenId screen_ = ui::ScreenId::idle;
  int pin_digits_ = 0;
  Json panels_;
  std::string status_;
  std::string state_ = "{}";
  std::uint64_t seq_ = 0;
  WebServer* server_ = nullptr;
};

// SIGINT and SIGTERM end the loop (the bench checks stopped() every turn); the previous
// handlers come back with the destructor.
class StopSignals {
 public:
  StopSignals() {
    g_stop = false;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace

Result<PageInput> parse_page_input(std::string_view body) {
  const Json in = Json::parse(body, nullptr, false);
  if (in.is_discarded() || !in.is_object()) return make_error(Errc::malformed, "the input is not a JSON object");
  const auto text = [&](const char* field) -> std::optional<std::string> {
    const auto it = in.find(field);
    if (it == in.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  if (auto name = text("key")) {
    const auto key = ui::key_from_name(*name);
    if (!key) return make_error(Errc::invalid_argument, "no such key");
    return PageInput{*key};
  }
  const auto card = text("card");
  if (!card) return make_error(Errc::invalid_argument, "the input names neither a key nor a card action");
  CardAction action;
  if (*card == "remove") {
    action.kind = CardAction::Kind::remove;
    return PageInput{std::move(action)};
  }
  if (*card != "insert" && *card != "swipe") return make_error(Errc::invalid_argument, "card must be insert, swipe or remove");
  action.kind = *card == "insert" ? CardAction::Kind::insert : CardAction::Kind::swipe;
  auto name = text("name");
  auto tracks = action.kind == CardAction::Kind::swipe ? text("tracks") : std::nullopt;
  if (name.has_value() == tracks.has_value()) return make_error(Errc::invalid_argument, "give a card name or tracks");
  if (tracks && (tracks->empty() || tracks->size() > kMaxTrackText)) {
    return make_error(Errc::invalid_argument, "track data must be 1 to 256 characters");
  }
  action.card = name ? std::move(*name) : std::move(*tracks);
  return PageInput{std::move(action)};
}

Result<WebAddress> parse_web_address(std::string_view text) {
  WebAddress out;
  std::string_view host;
  std::string_view port = text;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return make_error(Errc::invalid_argument, "expected [ADDR]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || host == "127.0.0.1" || host == "localhost") {
    out.host = "127.0.0.1";
  } else if (host == "::1") {
    out.host = "::1";
  } else {
    return make_error(Errc::invalid_argument,
                      "the page is served on loopback only (127.0.0.1, ::1 or localhost), not " + std::string(host));
  }
  const auto value = parse_port(port, 0);
  if (!value) return make_error(Errc::invalid_argument, "the port must be a number from 0 to 65535");
  out.port = *value;
  return out;
}

int run_web(const WebAddress& address, ui::DisplaySize size, const BenchOptions& options) {
  WebFront front(size);
  WebServerOptions server_options;
  server_options.address = address.host;
  server_options.port = address.port;
  server_options.state = [&front] { return front.state(); };
  server_options.input = [&front](std::string_view body) { return front.input(body); };
  auto server = WebServer::start(std::move(server_options));
  if (!server) {
    std::cerr << "tender-emu: --web: " << server.error().message << "\n";
    return 1;
  }
  front.attach(server->get());
  StopSignals signals;
  const std::string host = address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
  std::cout << "listening on http://" << host << ":" << (*server)->port() << "/" << std::endl;
  const int code = run_bench(front, options);
  if (code != 0) std::cerr << "tender-emu: " << front.status() << "\n";
  front.attach(nullptr);
  server->reset();  // before the front end its callbacks use
  return code;
}

}  // namespace tender::app::emu
