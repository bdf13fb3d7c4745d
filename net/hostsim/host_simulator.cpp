#include "net/hostsim/host_simulator.hpp"

#include <exception>

#include "common/log.hpp"
#include "net/hostsim/aurora_constants.hpp"
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
  aurora_ = std::make_unique<AuroraApi>(std::move(config.aurora), services, store);
  fullstack_ = std::make_unique<FullStackApi>(std::move(config.fullstack), services, store);
}

Result<void> HostSimulator::restore() {
  if (auto r = aurora_->ledger().restore(); !r) return r;
  return fullstack_->ledger().restore();
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
  const bool aurora = AuroraApi::serves(path);
  const bool fullstack = !aurora && FullStackApi::serves(path);
  if (!aurora && !fullstack) return respond(json_response(404, Json{{"status", "failed"}, {"msg", "not found"}}));
  // Transport behaviours queued for "any request" apply here to authorized requests that do
  // not create a transaction; those that do take their script when they know their amount.
  // A request refused with 401 consumes nothing, and neither does Aurora's OAuth token
  // request: scripts are for the payment API (a terminal fetching a fresh token before its
  // sale must not take the sale's scripted failure).
  const bool creates = aurora ? AuroraApi::creates_transaction(request) : FullStackApi::creates_transaction(request);
  const bool allowed = (aurora ? aurora_->authorized(request) : fullstack_->authorized(request)) &&
                       !(aurora && path == aurora::kTokenPath);
  std::optional<Script> pre = creates || !allowed ? std::nullopt : queue_.take(false);
  if (pre && pre->behaviour == Behaviour::error_500)
    return respond(aurora ? aurora_->server_error() : fullstack_->server_error());
  ApiReply reply = aurora ? aurora_->handle(request) : fullstack_->handle(request);
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
