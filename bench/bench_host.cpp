// The host link over loopback TLS on one io_context: how many FullStack sales per second
// the simulator serves through our client and server with keep-alive, and what one
// request costs on a kept-alive connection, with a full handshake, and with a resumed
// TLS session. The documents' Visa test card only; nothing prints card data.
#include <benchmark/benchmark.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "common/log.hpp"
#include "net/fullstack/fullstack_adapter.hpp"
#include "net/hostsim/host_simulator.hpp"
#include "net/http/client.hpp"
#include "net/http/server.hpp"
#include "net/tls/sim/test_pki.hpp"

namespace {

using namespace std::chrono_literals;
using namespace tender;
using namespace tender::net;

const tls::test_pki::LoopbackPki& pki() { return tls::test_pki::loopback_pki(); }

std::unique_ptr<http::Server> start_server(boost::asio::io_context& io, http::ServerHandler handler) {
  http::ServerOptions options;
  options.tls.cert_chain_pem = pki().server.cert_pem;
  options.tls.key_pem = SecretString(pki().server.key_pem.reveal());
  auto server = http::Server::create(io, options, std::move(handler));
  return server ? std::move(*server) : nullptr;
}

std::unique_ptr<http::Client> make_client(boost::asio::io_context& io, std::uint16_t port) {
  http::ClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.server_name = "localhost";
  options.tls.ca_pem = pki().ca.cert_pem;
  auto client = http::Client::create(io, options);
  return client ? std::move(*client) : nullptr;
}

// Runs the io_context until `done` (bounded: a stuck exchange ends the benchmark with an error).
template <class Done>
bool run_until(boost::asio::io_context& io, Done done) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_one_for(100ms);
  }
  return done();
}

void quiet() { log::set_level(log::Level::warn); }

std::string uuid(std::int64_t n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "0b7e6d5f-3b7d-4e21-9c55-%012lld", static_cast<long long>(n));
  return buffer;
}

void BM_SimulatorSalesKeepAlive(benchmark::State& state) {
  quiet();
  boost::asio::io_context io;
  hostsim::SystemClock clock;
  hostsim::HostSimulator sim(hostsim::HostSimConfig{}, clock);
  auto server = start_server(io, [&](http::Request request, http::ServerReply reply) { reply(sim.handle(request)); });
  if (!server) return state.SkipWithError("server");
  auto client = make_client(io, server->port());
  if (!client) return state.SkipWithError("client");
  fullstack::FullStackConfig config;
  config.api_key = SecretString("api_tender_test");
  config.deadline = 5000ms;
  fullstack::FullStackAdapter adapter(*client, config);

  host::AuthorizationRequest request;
  request.amount = Money(1000, usd());
  request.entry_mode = host::EntryMode::keyed;
  request.card.pan = SecretString("4111111111111111");
  request.card.expiry_yymm = SecretString("4912");
  std::int64_t n = 0;
  for (auto _ : state) {
    request.reference_id = uuid(++n);
    std::optional<Result<host::HostResult>> result;
    adapter.sale(request, [&](Result<host::HostResult> r) { result.emplace(std::move(r)); });
    if (!run_until(io, [&] { return result.has_value(); }) || !*result ||
        (*result)->outcome != host::Outcome::approved) {
      return state.SkipWithError("sale not approved");
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["connections"] = static_cast<double>(client->stats().connections_opened);
}
BENCHMARK(BM_SimulatorSalesKeepAlive)->Unit(benchmark::kMicrosecond);

enum class Connection { reused, new_handshake, resumed };

void client_request(benchmark::State& state, Connection mode) {
  quiet();
  boost::asio::io_context io;
  auto server = start_server(io, [](http::Request, http::ServerReply reply) {
    http::Response response;
    response.set_header("Content-Type", "application/json");
    response.body = R"({"status":"success"})";
    reply(http::ServerAction::respond(std::move(response)));
  });
  if (!server) return state.SkipWithError("server");
  auto client = make_client(io, server->port());
  if (!client) return state.SkipWithError("client");
  std::size_t opened = 0, resumed = 0;
  for (auto _ : state) {
    if (mode == Connection::new_handshake) {
      state.PauseTiming();
      opened += client->stats().connections_opened;
      client = make_client(io, server->port());  // a new TLS context: no session to resume
      state.ResumeTiming();
    } else if (mode == Connection::resumed) {
      client->close();  // the context keeps the session: the next handshake resumes it
    }
    http::Request request;
    request.target = "/ping";
    std::optional<Result<http::Response>> result;
    client->async_send(std::move(request), 5000ms, [&](Result<http::Response> r) { result.emplace(std::move(r)); });
    if (!run_until(io, [&] { return result.has_value(); }) || !*result) return state.SkipWithError("request");
  }
  opened += client->stats().connections_opened;
  resumed += client->stats().sessions_resumed;
  state.SetItemsProcessed(state.iterations());
  state.counters["connections"] = static_cast<double>(opened);
  state.counters["resumed"] = static_cast<double>(resumed);
}

void BM_ClientRequestReusedConnection(benchmark::State& state) { client_request(state, Connection::reused); }
void BM_ClientRequestNewHandshake(benchmark::State& state) { client_request(state, Connection::new_handshake); }
void BM_ClientRequestResumedSession(benchmark::State& state) { client_request(state, Connection::resumed); }
BENCHMARK(BM_ClientRequestReusedConnection)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ClientRequestNewHandshake)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ClientRequestResumedSession)->Unit(benchmark::kMicrosecond);

}  // namespace
