#include "net/host/host_adapter.hpp"

#include <string>

namespace tender::net::host {

std::string_view to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::approved: return "approved";
    case Outcome::partially_approved: return "partially_approved";
    case Outcome::declined: return "declined";
    case Outcome::error: return "error";
    case Outcome::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(Operation operation) noexcept {
  switch (operation) {
    case Operation::authorize: return "authorize";
    case Operation::sale: return "sale";
    case Operation::verify: return "verify";
    case Operation::capture: return "capture";
    case Operation::void_: return "void";
    case Operation::refund: return "refund";
    case Operation::tip_adjust: return "tip_adjust";
  }
  return "sale";
}

std::string_view to_string(Fate fate) noexcept {
  switch (fate) {
    case Fate::not_at_host: return "not_at_host";
    case Fate::done: return "done";
    case Fate::not_known_yet: return "not_known_yet";
    case Fate::ambiguous: return "ambiguous";
  }
  return "not_known_yet";
}

HostResult unknown_after_transport_error(const Error& error) {
  HostResult result;
  result.outcome = Outcome::unknown;
  result.response_code = std::string(to_string(error.code));
  result.response_message = "transport failure; the host may have processed the request";
  return result;
}

std::optional<Outcome> outcome_for_http_status(int status) noexcept {
  if (status >= 200 && status < 300) return std::nullopt;
  // 5xx and anything outside 4xx: the host may have acted before failing.
  if (status >= 400 && status < 500) return Outcome::error;
  return Outcome::unknown;
}

}  // namespace tender::net::host
