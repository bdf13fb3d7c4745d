#include "net/hostsim/host_simulator.hpp"

#include <cstdlib>
#include <exception>

#include "common/log.hpp"
#include "net/hostsim/json_util.hpp"

namespace tender::net::hostsim {
namespace {

constexpr std::string_view kComponent = "hostsim";
constexpr int kMaxCount = 1000;

ServerAction respond(http::Response response) {
  ServerAction a;
  a.response = std::move(response);
  return a;
}

// A transport behaviour applied to an API's reply.
ServerAction apply(ApiReply reply) {
  ServerAction a = respond(std::move(reply.response));
  if (!reply.transport) return a;
  switch (reply.transport->behaviour) {
    case Behaviour::no_answer: a.kind = ServerAction::Kind::no_answer; break;
    case Behaviour::close_connection: a.kind = ServerAction::Kind::close_connection; break;
    case Behaviour::delay:
      a.kind = ServerAction::Kind::delay;
      a.after = reply.transport->delay;
      break;
    case Behaviour::malformed:
      // Cut the real body in half: JSON that does not parse, with the status and headers kept.
      a.response.body = a.response.body.substr(0, a.response.body.size() / 2);
      break;
    default: break;
  }
  return a;
}

}  // namespace

HostSimulator::HostSimulator(HostSimConfig config, const Clock& clock, Store* store, PinVerifier* pin,
                             ChipIssuer* chip) {
  Services services;
  services.clock = &clock;
  services.verifiers = Verifiers{pin, chip};
  services.scripts = [this](std::int64_t amount) { return script_for(amount); };
  for (const SimulatedHostEntry& entry : simulated_hosts()) apis_.push_back(entry.make(config, services, store));
}

SimulatedApi& HostSimulator::api(host::HostKind kind) const {
  for (const auto& a : apis_) {
    if (a->kind() == kind) return *a;
  }
  // simulated_hosts() has an entry per kind (sim_registry_test); reaching here is a bug.
  std::abort();
}

Result<void> HostSimulator::restore() {
  for (const auto& a : apis_) {
    if (auto r = a->ledger().restore(); !r) return r;
  }
  return ok();
}

std::optional<Script> HostSimulator::script_for(std::int64_t amount) {
  if (auto queued = queue_.take(true)) return queued;
  return behaviour_for_amount(amount);
}

ServerAction HostSimulator::handle(const http::Request& request) noexcept {
  try {
    return dispatch(request);
  } catch (const std::exception&) {
    // Not expected (no JSON access throws); a last line so a bug never kills the server.
    log::error(kComponent, "request failed with an exception");
  } catch (...) {
    log::error(kComponent, "request failed with an unknown exception");
  }
  ServerAction a;
  a.response.status = 500;
  return a;
}

ServerAction HostSimulator::dispatch(const http::Request& request) {
  const std::string_view path = request.path();
  if (path == kBehaviourPath) return control(request);
  SimulatedApi* api = nullptr;
  for (const auto& a : apis_) {
    if (a->serves(path)) {
      api = a.get();
      break;
    }
  }
  if (api == nullptr) return respond(json_response(404, Json{{"status", "failed"}, {"msg", "not found"}}));
  // Transport behaviours queued for "any request" apply here to authorized requests that do
  // not create a transaction; those that do take their script when they know their amount.
  // A request refused with 401 consumes nothing, and neither does Aurora's OAuth token
  // request: scripts are for the payment API (a terminal fetching a fresh token before its
  // sale must not take the sale's scripted failure).
  const bool creates = api->creates_transaction(request);
  std::optional<Script> pre = creates || !api->takes_scripts(request) ? std::nullopt : queue_.take(false);
  if (pre && pre->behaviour == Behaviour::error_500) return respond(api->server_error());
  ApiReply reply = api->handle(request);
  if (pre) reply.transport = pre;
  log::debug(kComponent, http::to_string(request.method), " ", path, " -> ", reply.response.status);
  return apply(std::move(reply));
}

// POST /sim/behaviour {"next": "...", "count": N}: the next N matching requests get it
// (count defaults to 1; 0 clears the queue). GET /sim/behaviour reports what is queued.
ServerAction HostSimulator::control(const http::Request& request) {
  if (request.method == http::Method::get)
    return respond(json_response(200, Json{{"pending", queue_.pending()}}));
  if (request.method != http::Method::post)
    return respond(json_response(405, Json{{"status", "failed"}, {"msg", "use POST"}}));
  const Json body = parse_object(request.body);
  if (body.is_discarded()) return respond(json_response(400, Json{{"status", "failed"}, {"msg", "invalid JSON body"}}));
  bool ok = true;
  const auto next = string_member(body, "next", ok);
  const auto count = int_member(body, "count", ok);
  if (!ok || !next || (count && (*count < 0 || *count > kMaxCount)))
    return respond(json_response(400, Json{{"status", "failed"}, {"msg", "need next (string) and count 0..1000"}}));
  auto script = parse_behaviour(*next);
  if (!script) return respond(json_response(400, Json{{"status", "failed"}, {"msg", script.error().message}}));
  queue_.set(*script, static_cast<int>(count.value_or(1)));
  return respond(json_response(200, Json{{"status", "success"}, {"pending", queue_.pending()}}));
}

}  // namespace tender::net::hostsim
