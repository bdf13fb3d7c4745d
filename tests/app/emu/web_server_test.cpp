// tender-emu --web's server over a real loopback socket: the page's files, the refusals (a
// foreign Host, a non-JSON input, a bad input, an unknown path), the input hand-over and the
// event stream's first and next events; the --web address parser's loopback-only rule; the
// page's inputs, whose refusals never repeat what was sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "app/emu/web_front.hpp"
#include "app/emu/web_server.hpp"

namespace tender::app::emu {
namespace {

// A blocking client with a 10 s receive deadline: a hung server fails the test, never hangs it.
class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval deadline{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof deadline);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  void send(const std::string& data) { ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL), static_cast<ssize_t>(data.size())); }
  // Reads until `until` has arrived (or the peer closes, or the deadline passes).
  std::string read_until(const std::string& until) {
    while (received_.find(until) == std::string::npos) {
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
    }
    return received_;
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string received_;
};

std::string request(std::uint16_t port, const std::string& text) {
  Client c(port);
  EXPECT_TRUE(c.connected());
  c.send(text);
  return c.read_until("\r\n\r\n");
}

std::string get(std::uint16_t port, const std::string& path, const std::string& host = "127.0.0.1") {
  return request(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
}

std::string post(std::uint16_t port, const std::string& type, const std::string& body) {
  return request(port, "POST /input HTTP/1.1\r\nHost: localhost:1\r\nConnection: close\r\nContent-Type: " + type +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

struct WebServerTest : ::testing::Test {
  void SetUp() override {
    WebServerOptions options;
    options.state = [this] {
      std::lock_guard lock(mutex);
      return state;
    };
    options.input = [this](std::string_view body) -> Result<void> {
      std::lock_guard lock(mutex);
      if (body == "\"bad\"") return make_error(Errc::invalid_argument, "not an input");
      inputs.emplace_back(body);
      return ok();
    };
    auto started = WebServer::start(std::move(options));
    ASSERT_TRUE(started) << started.error().message;
    server = std::move(*started);
  }

  std::mutex mutex;
  std::string state = R"({"n":1})";
  std::vector<std::string> inputs;
  std::unique_ptr<WebServer> server;
};

TEST_F(WebServerTest, ServesThePageWithAPolicyThatLoadsNothingFromElsewhere) {
  const std::string page = request(server->port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(page.rfind("HTTP/1.1 200", 0), 0u) << page;
  EXPECT_NE(page.find("Content-Security-Policy: default-src 'none'; script-src 'self'"), std::string::npos);
  Client c(server->port());
  c.send("GET /app.js HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n");
  const std::string js = c.read_until("connect();");
  EXPECT_NE(js.find("Content-Type: text/javascript"), std::string::npos);
  EXPECT_NE(js.find("EventSource(\"/events\")"), std::string::npos);
  EXPECT_EQ(get(server->port(), "/nothing-here").rfind("HTTP/1.1 404", 0), 0u);
}

TEST_F(WebServerTest, RefusesAForeignHostAndWhatIsNotHttp) {
  EXPECT_EQ(get(server->port(), "/", "attacker.example").rfind("HTTP/1.1 403", 0), 0u);
  EXPECT_EQ(get(server->port(), "/", "127.0.0.1.attacker.example:80").rfind("HTTP/1.1 403", 0), 0u);
  EXPECT_EQ(request(server->port(), "HELLO THERE\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(request(server->port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + std::string(5000, 'x') + "\r\n\r\n")
                .rfind("HTTP/1.1 431", 0),
            0u);
}

TEST_F(WebServerTest, HandsJsonInputsOverAndRefusesTheRest) {
  EXPECT_EQ(post(server->port(), "application/json", R"({"key":"ENTER"})").rfind("HTTP/1.1 204", 0), 0u);
  EXPECT_EQ(post(server->port(), "text/plain", R"({"key":"ENTER"})").rfind("HTTP/1.1 415", 0), 0u);
  EXPECT_EQ(post(server->port(), "application/json", "\"bad\"").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(post(server->port(), "application/json", std::string(9000, ' ')).rfind("HTTP/1.1 413", 0), 0u);
  std::lock_guard lock(mutex);
  EXPECT_EQ(inputs, std::vector<std::string>{R"({"key":"ENTER"})"});
}

TEST_F(WebServerTest, StreamsTheStateAndEachChange) {
  Client c(server->port());
  ASSERT_TRUE(c.connected());
  c.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const std::string first = c.read_until("data: {\"n\":1}\n\n");
  EXPECT_NE(first.find("Content-Type: text/event-stream"), std::string::npos) << first;
  EXPECT_NE(first.find("data: {\"n\":1}\n\n"), std::string::npos) << first;
  {
    std::lock_guard lock(mutex);
    state = R"({"n":2})";
  }
  server->publish();
  EXPECT_NE(c.read_until("data: {\"n\":2}\n\n").find("data: {\"n\":2}\n\n"), std::string::npos);
}

TEST(WebServer, ListensOnLoopbackOnly) {
  WebServerOptions options;
  options.address = "192.0.2.1";
  options.state = [] { return std::string("{}"); };
  options.input = [](std::string_view) -> Result<void> { return ok(); };
  auto started = WebServer::start(std::move(options));
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::invalid_argument);
}

TEST(WebAddress, TakesLoopbackAddressesAndPorts) {
  struct Case {
    std::string text;
    std::string host;
    std::uint16_t port;
  };
  for (const auto& c : std::vector<Case>{{"8080", "127.0.0.1", 8080},
                                         {"0", "127.0.0.1", 0},
                                         {"127.0.0.1:0", "127.0.0.1", 0},
                                         {"localhost:65535", "127.0.0.1", 65535},
                                         {"[::1]:8080", "::1", 8080}}) {
    auto a = parse_web_address(c.text);
    ASSERT_TRUE(a) << c.text << ": " << a.error().message;
    EXPECT_EQ(a->host, c.host) << c.text;
    EXPECT_EQ(a->port, c.port) << c.text;
  }
  for (const char* bad : {"0.0.0.0:8080", "192.0.2.1:80", "example.com:80", "[::]:80", "127.0.0.2:80", "127.0.0.1:",
                          "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x", "", "[::1]"}) {
    auto a = parse_web_address(bad);
    ASSERT_FALSE(a) << bad;
    EXPECT_EQ(a.error().code, Errc::invalid_argument) << bad;
  }
}

TEST(PageInput, TakesKeysAndCardActions) {
  auto enter = parse_page_input(R"({"key":"ENTER"})");
  ASSERT_TRUE(enter);
  EXPECT_EQ(std::get<ui::Key>(*enter), ui::Key::enter);
  auto insert = parse_page_input(R"({"card":"insert","name":"visa_online_pin"})");
  ASSERT_TRUE(insert);
  EXPECT_EQ(std::get<CardAction>(*insert).kind, CardAction::Kind::insert);
  EXPECT_EQ(std::get<CardAction>(*insert).card, "visa_online_pin");
  auto swipe = parse_page_input(R"({"card":"swipe","tracks":";4111111111111111=30121010000000000000?"})");
  ASSERT_TRUE(swipe);
  EXPECT_EQ(std::get<CardAction>(*swipe).card, ";4111111111111111=30121010000000000000?");
  auto remove = parse_page_input(R"({"card":"remove"})");
  ASSERT_TRUE(remove);
  EXPECT_EQ(std::get<CardAction>(*remove).kind, CardAction::Kind::remove);
}

TEST(PageInput, RefusesTheRestWithoutRepeatingIt) {
  const std::string tracks = ";4111111111111111=30121010000000000000?";
  for (const std::string& bad :
       {std::string("not json ") + tracks, std::string("[\"") + tracks + "\"]", std::string(R"({"key":"PANIC"})"),
        R"({"key":")" + tracks + R"("})", std::string(R"({"card":"insert","tracks":")") + tracks + R"("})",
        R"({"card":"swipe","name":"visa_sda","tracks":")" + tracks + R"("})", std::string(R"({"card":"swipe","tracks":""})"),
        R"({"card":"swipe","tracks":")" + std::string(257, '1') + R"("})", std::string(R"({"card":"eat"})"),
        std::string(R"({"card":"swipe"})"), std::string(R"({"nothing":1})")}) {
    auto parsed = parse_page_input(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().message.find("4111111111111111"), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.find("1111111111"), std::string::npos) << parsed.error().message;
  }
}

}  // namespace
}  // namespace tender::app::emu
