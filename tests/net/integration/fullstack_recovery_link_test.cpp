// FullStack recovery end to end, in process over real loopback TLS: the adapter's search and
// idempotency window against the host simulator's window, clock and records.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

#include "net/fullstack/fullstack_adapter.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/http/client.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace tender::net {
namespace {

using namespace std::chrono_literals;
using host::Outcome;

const tls::test_pki::LoopbackPki& pki() { return tls::test_pki::loopback_pki(); }

std::string uuid(int n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "4a2e8c1d-7b3f-4d95-8e61-%012d", n);
  return buffer;
}

// The documents' Visa test card, keyed, valid by the simulator's clock.
host::AuthorizationRequest keyed(int n, std::int64_t cents) {
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

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().describe()

host::RecoveryQuery lost_sale(const host::AuthorizationRequest& r, std::int64_t sent) {
  host::RecoveryQuery q;
  q.operation = host::Operation::sale;
  q.reference_id = r.reference_id;
  q.first_sent_unix = sent;
  q.last_sent_unix = sent;
  q.request = r;
  return q;
}

// The host simulator behind our HTTPS server on loopback and the FullStack adapter on our
// client, with one clock for both (the adapter counts the idempotency window by it).
class FullStackRecovery : public ::testing::Test {
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
    http::ClientOptions co;
    co.host = "127.0.0.1";
    co.port = server_->port();
    co.server_name = "localhost";
    co.tls.ca_pem = pki().ca.cert_pem;
    auto client = http::Client::create(io_, co);
    ASSERT_TRUE(client) << client.error().describe();
    api_ = std::move(*client);
    fullstack::FullStackConfig fc;
    fc.api_key = SecretString("api_tender_test");
    fc.terminal_id = "1ucio551tlv85l7moe5s";
    fc.deadline = 1000ms;
    fc.unix_now = [this] { return unix_now(); };
    fullstack_ = std::make_unique<fullstack::FullStackAdapter>(*api_, fc);
  }
  void TearDown() override {
    fullstack_.reset();
    api_.reset();
    if (server_) server_->stop();
    io_.restart();
    io_.run_for(20ms);
    server_.reset();
  }

  std::int64_t unix_now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  }
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
  Result<host::HostResult> sale(host::AuthorizationRequest r) {
    return wait<host::HostResult>([&](host::ResultHandler h) { fullstack_->sale(std::move(r), std::move(h)); });
  }
  Result<host::HostResult> void_(const std::string& ref) {
    return wait<host::HostResult>([&](host::ResultHandler h) { fullstack_->void_({uuid(901), ref}, std::move(h)); });
  }
  Result<host::HostResult> refund(const std::string& ref, Money amount, int n) {
    return wait<host::HostResult>([&](host::ResultHandler h) { fullstack_->refund({uuid(n), ref, amount}, std::move(h)); });
  }
  Result<host::SettleResult> settle() {
    return wait<host::SettleResult>([&](host::Handler<host::SettleResult> h) { fullstack_->settle({}, std::move(h)); });
  }
  host::RecoveryResult recover(host::RecoveryQuery q) {
    std::optional<host::RecoveryResult> out;
    fullstack_->recover(std::move(q), [&](host::RecoveryResult r) { out = std::move(r); });
    const auto end = std::chrono::steady_clock::now() + 15s;
    while (!out && std::chrono::steady_clock::now() < end) {
      io_.restart();
      io_.run_for(10ms);
    }
    return out.value_or(host::RecoveryResult{host::Fate::not_known_yet, {}, "test gave up waiting"});
  }
  // Every transaction of this amount at the host, whoever made it.
  std::vector<host::HostResult> at_host(std::int64_t cents) {
    fullstack::TransactionSearch search;
    search.amount = cents;
    auto found = wait<std::vector<host::HostResult>>(
        [&](host::Handler<std::vector<host::HostResult>> h) { fullstack_->search_transactions(search, std::move(h)); });
    return found ? *found : std::vector<host::HostResult>{};
  }

  hostsim::ManualClock clock_{hostsim::utc(2025, 6, 1, 12)};
  boost::asio::io_context io_;
  std::unique_ptr<hostsim::HostSimulator> sim_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::Client> api_;
  std::unique_ptr<fullstack::FullStackAdapter> fullstack_;
};

// The answer was lost and the engine asks long after the 5-minute window: the search finds
// the approval; nothing is sent again (a replay would be a second charge).
TEST_F(FullStackRecovery, LostAnswerFoundBySearchAfterTheWindow) {
  const auto r = keyed(40, 2254);  // .54: processed, the answer never sent
  const std::int64_t sent = unix_now();
  auto first = sale(r);
  ASSERT_OK(first);
  ASSERT_EQ(first->outcome, Outcome::unknown);
  clock_.advance(std::chrono::hours(3));
  const auto found = recover(lost_sale(r, sent));
  EXPECT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.outcome, Outcome::approved);
  EXPECT_EQ(found.result.approved_amount, Money(2254, usd()));
  EXPECT_FALSE(found.result.auth_code.empty());
  EXPECT_FALSE(found.result.trace_id.empty());
  EXPECT_EQ(at_host(2254).size(), 1u);
}

// The request never arrived (HTTP 500: nothing recorded) and the window is over: not at the
// host, and nothing is sent; another terminal's identical sale (same card, same amount) is
// never adopted.
TEST_F(FullStackRecovery, NeverArrivedAfterTheWindowIsNotAtTheHostAndAStrangerIsNotAdopted) {
  ASSERT_OK(sim_->fullstack_other_client_sale(2260, "4111111111111111", "12/28"));
  const auto r = keyed(41, 2260);
  sim_->script_next({hostsim::Behaviour::error_500, 0, 0ms}, 1);  // HTTP 500, not processed
  const std::int64_t sent = unix_now();
  auto first = sale(r);
  ASSERT_OK(first);
  ASSERT_EQ(first->outcome, Outcome::unknown);
  clock_.advance(std::chrono::minutes(6));
  const auto none = recover(lost_sale(r, sent));
  EXPECT_EQ(none.fate, host::Fate::not_at_host) << none.why;
  EXPECT_TRUE(none.result.host_reference.empty());
  EXPECT_EQ(at_host(2260).size(), 1u);  // the stranger's only: nothing replayed
}

// Inside the window, nothing found: the very request is replayed under its key, once; asked
// again, the search finds that one.
TEST_F(FullStackRecovery, NeverArrivedInsideTheWindowIsReplayedOnce) {
  const auto r = keyed(42, 2356);  // .56 again: not processed
  const std::int64_t sent = unix_now();
  ASSERT_OK(sale(r));
  clock_.advance(std::chrono::seconds(30));
  // The magic cents would answer 500 again: the replay must reach a decision.
  sim_->script_next({hostsim::Behaviour::approve, 0, 0ms}, 1);
  const auto replayed = recover(lost_sale(r, sent));
  ASSERT_EQ(replayed.fate, host::Fate::done) << replayed.why;
  EXPECT_EQ(replayed.result.outcome, Outcome::approved);
  clock_.advance(std::chrono::hours(1));
  const auto again = recover(lost_sale(r, sent));
  EXPECT_EQ(again.fate, host::Fate::done) << again.why;
  EXPECT_EQ(again.result.host_reference, replayed.result.host_reference);
  EXPECT_EQ(at_host(2356).size(), 1u);
}

// 301, 421 and 430 are not final: the terminal recovers and takes the host's record.
TEST_F(FullStackRecovery, CodesThatAreNotFinalAreRecovered) {
  int n = 50;
  for (int code : {301, 421, 430}) {
    sim_->script_next({hostsim::Behaviour::gateway_code, 0, 0ms, code}, 1);
    const auto r = keyed(n++, 2400 + code);
    const std::int64_t sent = unix_now();
    auto first = sale(r);
    ASSERT_OK(first);
    EXPECT_EQ(first->outcome, Outcome::unknown) << code;
    EXPECT_EQ(first->response_code, std::to_string(code));
    const auto found = recover(lost_sale(r, sent));
    EXPECT_EQ(found.fate, host::Fate::done) << code << " " << found.why;
    EXPECT_EQ(found.result.outcome, Outcome::declined) << code;
  }
}

// A refund whose answer was lost: the original's amount_refunded tells; one refund only.
TEST_F(FullStackRecovery, LostRefundAnswerIsOneRefund) {
  auto s1 = sale(keyed(60, 3000));
  ASSERT_OK(s1);
  ASSERT_OK(settle());
  sim_->script_next({hostsim::Behaviour::no_answer, 0, 0ms}, 1);
  auto lost = refund(s1->host_reference, Money(1000, usd()), 961);
  ASSERT_OK(lost);
  ASSERT_EQ(lost->outcome, Outcome::unknown);
  host::RecoveryQuery q;
  q.operation = host::Operation::refund;
  q.reference_id = uuid(961);
  q.original_host_reference = s1->host_reference;
  q.amount = Money(1000, usd());
  q.refunded_before = Money(0, usd());
  const auto found = recover(q);
  EXPECT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.approved_amount, Money(1000, usd()));
  const auto refunds = at_host(1000);
  EXPECT_EQ(refunds.size(), 1u);
}

// The void of a settled sale comes back as Refusal::already_settled (the engine refunds).
TEST_F(FullStackRecovery, VoidOfASettledSaleIsAlreadySettled) {
  auto s1 = sale(keyed(70, 3100));
  ASSERT_OK(s1);
  ASSERT_OK(settle());
  auto v = void_(s1->host_reference);
  ASSERT_OK(v);
  EXPECT_EQ(v->outcome, Outcome::error);
  EXPECT_EQ(v->refusal, host::Refusal::already_settled);
  auto s2 = sale(keyed(71, 3200));
  ASSERT_OK(s2);
  ASSERT_OK(void_(s2->host_reference));
  auto twice = void_(s2->host_reference);  // voided already: refused, not settled
  ASSERT_OK(twice);
  EXPECT_EQ(twice->outcome, Outcome::error);
  EXPECT_EQ(twice->refusal, host::Refusal::none);
}

}  // namespace
}  // namespace tender::net
