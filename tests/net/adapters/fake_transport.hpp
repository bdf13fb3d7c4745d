// Test doubles for the host adapters: a Transport that records every request and answers
// from a script, a log sink that keeps the lines, and the fixtures of the documents.
#pragma once

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "net/http/transport.hpp"

namespace tender::net::testing {

class FakeTransport : public http::Transport {
 public:
  void async_send(http::Request request, std::chrono::milliseconds deadline, http::ResponseHandler handler) override {
    requests.push_back(std::move(request));
    deadlines.push_back(deadline);
    if (script.empty()) {
      handler(make_error(Errc::io_error, "fake transport: no scripted answer"));
      return;
    }
    auto answer = std::move(script.front());
    script.pop_front();
    handler(std::move(answer));
  }

  void answer(int status, std::string body, std::vector<http::Header> headers = {}) {
    http::Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    script.emplace_back(std::move(response));
  }
  void fail(Errc code) { script.emplace_back(make_error(code, "scripted failure")); }

  std::vector<http::Request> requests;
  std::vector<std::chrono::milliseconds> deadlines;
  std::deque<Result<http::Response>> script;
};

class CapturingSink : public log::Sink {
 public:
  CapturingSink() { log::set_sink(this); }
  ~CapturingSink() override { log::set_sink(nullptr); }
  CapturingSink(const CapturingSink&) = delete;
  CapturingSink& operator=(const CapturingSink&) = delete;
  void write(log::Level /*level*/, std::string_view component, std::string_view line) override {
    lines.push_back(std::string(component) + ": " + std::string(line));
  }
  [[nodiscard]] std::string all() const {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  std::vector<std::string> lines;
};

inline std::string fixture(const std::string& name) {
  // Not __FILE__: a compiler cache may rewrite it relative to the build directory.
  const auto path = std::filesystem::path(TENDER_TEST_SOURCE_DIR) / "net" / "adapters" / "fixtures" / name;
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs an async operation whose handler is called synchronously by the fake.
template <class T, class Start>
Result<T> run(Start start) {
  Result<T> out = make_error(Errc::cancelled, "handler not called");
  start([&](Result<T> r) { out = std::move(r); });
  return out;
}

}  // namespace tender::net::testing
