// The host link's fixture: the Aurora and FullStack adapters on our http::Client, against the
// host simulator behind our http::Server, in process over real loopback TLS.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "net/aurora/aurora_adapter.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/http/client.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace tender::net::link_test {

using namespace std::chrono_literals;
using host::Outcome;

inline const tls::test_pki::LoopbackPki& pki() { return tls::test_pki::loopback_pki(); }

constexpr auto kDeadline = 1000ms;  // the adapters' deadline: short, so lost answers are quick

// Reference ids: UUID text, unique per request within a test.
inline std::string uuid(int n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "6f1c2a9e-3b7d-4e21-9c55-%012d", n);
  return buffer;
}

// The documents' Visa test card, keyed, valid by the simulator's clock.
inline host::AuthorizationRequest keyed(int n, std::int64_t cents) {
  host::AuthorizationRequest r;
  r.reference_id = uuid(n);
  r.amount = Money(cents, usd());
  r.entry_mode = host::EntryMode::keyed;
  r.card.pan = SecretString("4111111111111111");
  r.card.expiry_yymm = SecretString("2812");
  r.card.cvc = SecretString("999");
  r.terminal_id = "T1";
  return r;
}

class HostLink : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<hostsim::HostSimulator>(hostsim::HostSimConfig{}, clock_);
    http::ServerOptions options;
    options.tls.cert_chain_pem = pki().server.cert_pem;
    options.tls.key_pem = SecretString(pki().server.key_pem.reveal());
    options.read_timeout = 5s;
    auto server = http::Server::create(io_, options, [this](http::Request request, http::ServerReply reply) {
      reply(sim_->handle(request));
    });
    ASSERT_TRUE(server) << server.error().describe();
    server_ = std::move(*server);
    api_ = make_client();
    oauth_ = make_client();
    ASSERT_TRUE(api_ && oauth_);

    aurora::AuroraConfig ac;
    ac.client_id = "tender-test";
    ac.client_secret = SecretString("tender-test-secret");
    ac.payment_processor_id = "proc-1";
    ac.deadline = kDeadline;
    aurora_ = std::make_unique<aurora::AuroraAdapter>(*api_, *oauth_, ac);

    fullstack::FullStackConfig fc;
    fc.api_key = SecretString("api_tender_test");
    fc.terminal_id = "1ucio551tlv85l7moe5s";
    fc.deadline = kDeadline;
    fullstack_ = std::make_unique<fullstack::FullStackAdapter>(*api_, fc);
  }

  void TearDown() override {
    aurora_.reset();
    fullstack_.reset();
    api_.reset();
    oauth_.reset();
    if (server_) server_->stop();
    io_.restart();
    io_.run_for(20ms);
    server_.reset();
  }

  std::unique_ptr<http::Client> make_client() {
    http::ClientOptions options;
    options.host = "127.0.0.1";
    options.port = server_->port();
    options.server_name = "localhost";
    options.tls.ca_pem = pki().ca.cert_pem;
    auto c = http::Client::create(io_, options);
    EXPECT_TRUE(c) << c.error().describe();
    return c ? std::move(*c) : nullptr;
  }

  // Runs the io_context until the operation's handler ran (bounded).
  template <class T>
  Result<T> wait(const std::function<void(host::Handler<T>)>& start) {
    std::optional<Result<T>> result;
    start([&](Result<T> r) { result.emplace(std::move(r)); });
    const auto end = std::chrono::steady_clock::now() + 15s;
    while (!result && std::chrono::steady_clock::now() < end) {
      io_.restart();
      io_.run_for(10ms);
    }
    if (!result) return make_error(Errc::timeout, "test gave up waiting");
    return std::move(*result);
  }

  Result<host::HostResult> run(const std::function<void(host::ResultHandler)>& start) {
    return wait<host::HostResult>(start);
  }

  host::HostAdapter& adapter(bool is_aurora) {
    return is_aurora ? static_cast<host::HostAdapter&>(*aurora_) : static_cast<host::HostAdapter&>(*fullstack_);
  }

  Result<host::HostResult> sale(host::HostAdapter& a, host::AuthorizationRequest r) {
    return run([&](host::ResultHandler h) { a.sale(std::move(r), std::move(h)); });
  }
  Result<host::HostResult> authorize(host::HostAdapter& a, host::AuthorizationRequest r) {
    return run([&](host::ResultHandler h) { a.authorize(std::move(r), std::move(h)); });
  }
  Result<host::HostResult> capture(host::HostAdapter& a, const std::string& ref, std::optional<Money> amount) {
    return run([&](host::ResultHandler h) { a.capture({uuid(900), ref, amount}, std::move(h)); });
  }
  Result<host::HostResult> void_(host::HostAdapter& a, const std::string& ref) {
    return run([&](host::ResultHandler h) { a.void_({uuid(901), ref}, std::move(h)); });
  }
  Result<host::HostResult> refund(host::HostAdapter& a, const std::string& ref, std::optional<Money> amount,
                                  int n = 902) {
    return run([&](host::ResultHandler h) { a.refund({uuid(n), ref, amount}, std::move(h)); });
  }
  Result<host::HostResult> lookup(host::HostAdapter& a, host::LookupRequest r) {
    return run([&](host::ResultHandler h) { a.lookup(std::move(r), std::move(h)); });
  }
  Result<host::SettleResult> settle(host::HostAdapter& a) {
    return wait<host::SettleResult>([&](host::Handler<host::SettleResult> h) { a.settle({}, std::move(h)); });
  }
  // What the engine asks after a lost answer: the request as sent, at the simulator's time
  // (the terminal's clock agrees with the host's), and the terminal's other transactions.
  host::RecoveryQuery query_for(const host::AuthorizationRequest& r, host::Operation op = host::Operation::sale,
                                std::vector<std::string> known = {}) {
    host::RecoveryQuery q;
    q.operation = op;
    q.reference_id = r.reference_id;
    q.first_sent_unix = q.last_sent_unix =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
    q.request = r;
    q.known_host_references = std::move(known);
    return q;
  }
  host::RecoveryResult recover(host::HostAdapter& a, host::RecoveryQuery q) {
    auto r = wait<host::RecoveryResult>([&](host::Handler<host::RecoveryResult> h) {
      a.recover(std::move(q), [h](host::RecoveryResult x) { h(std::move(x)); });
    });
    return r ? std::move(*r) : host::RecoveryResult{host::Fate::not_known_yet, {}, "test gave up waiting"};
  }

  hostsim::ManualClock clock_{hostsim::utc(2025, 6, 1, 12)};
  boost::asio::io_context io_;
  std::unique_ptr<hostsim::HostSimulator> sim_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::Client> api_;
  std::unique_ptr<http::Client> oauth_;
  std::unique_ptr<aurora::AuroraAdapter> aurora_;
  std::unique_ptr<fullstack::FullStackAdapter> fullstack_;
};

// Both adapters, the same scenarios.

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().describe()

}  // namespace tender::net::link_test
