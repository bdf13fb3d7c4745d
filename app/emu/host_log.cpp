#include "app/emu/host_log.hpp"

#include "common/log.hpp"

namespace tender::app::emu {

namespace {

// A body as host.log shows it: the masked JSON, or null when it is not JSON (the token
// request's form, which holds the client secret, is never shown).
nlohmann::json masked_body(const std::string& body) {
  if (body.empty()) return nullptr;
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(nullptr) : mask_host_body(parsed);
}

}  // namespace

std::size_t HostLog::sent(const net::http::Request& request) {
  HostRequest entry;
  entry.method = std::string(net::http::to_string(request.method));
  entry.path = std::string(request.path());
  entry.body = masked_body(request.body);
  entries_.push_back(std::move(entry));
  return taken_ + entries_.size() - 1;
}

void HostLog::answered(std::size_t at, const Result<net::http::Response>& response) {
  if (at < taken_ || at - taken_ >= entries_.size()) return;
  HostRequest& entry = entries_[at - taken_];
  if (response) {
    entry.status = response->status;
    entry.response = masked_body(response->body);
  } else {
    entry.error = log::scrub(std::string(to_string(response.error().code)) + ": " + response.error().message);
  }
}

void HostLog::power_off() {
  for (HostRequest& entry : entries_) {
    if (!entry.status && !entry.error) entry.error = "no answer before the terminal went off";
  }
}

std::vector<HostRequest> HostLog::take_finished() {
  std::vector<HostRequest> finished;
  while (!entries_.empty() && (entries_.front().status || entries_.front().error)) {
    finished.push_back(std::move(entries_.front()));
    entries_.pop_front();
    ++taken_;
  }
  return finished;
}

void LoggingTransport::async_send(net::http::Request request, std::chrono::milliseconds deadline,
                                  net::http::ResponseHandler handler) {
  const std::size_t at = log_.sent(request);
  inner_.async_send(std::move(request), deadline,
                    [log = &log_, at, handler = std::move(handler)](Result<net::http::Response> response) {
                      log->answered(at, response);
                      handler(std::move(response));
                    });
}

}  // namespace tender::app::emu
