// Aurora ARISE pay-api v1, served. Paths, auth and enum values per the summary's Appendix A
// (third-party client code, not the vendor's document); field names per the document's
// examples. Every path, field and code the simulator uses is in aurora_constants.hpp.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "net/hostsim/api.hpp"
#include "net/hostsim/ledger.hpp"

namespace tender::net::hostsim {

struct AuroraConfig {
  std::string client_id = "tender-test";
  std::string client_secret = "tender-test-secret";
  std::chrono::seconds token_lifetime{3600};
};

class AuroraApi {
 public:
  AuroraApi(AuroraConfig config, Services services, Store* store);

  [[nodiscard]] static bool serves(std::string_view path);
  [[nodiscard]] static bool creates_transaction(const http::Request& request);
  ApiReply handle(const http::Request& request);
  // True for the token endpoint and for a request with a live bearer token.
  [[nodiscard]] bool authorized(const http::Request& request) const;
  http::Response server_error() const;
  Ledger& ledger() { return ledger_; }

 private:
  ApiReply token(const http::Request& request);
  ApiReply payment(const http::Request& request, bool sale);
  ApiReply capture(const http::Request& request);
  ApiReply void_transaction(const http::Request& request);
  ApiReply refund(const http::Request& request);
  ApiReply tip_adjustment(const http::Request& request);
  ApiReply settle(const http::Request& request);
  ApiReply get(std::string_view id) const;
  ApiReply list(const http::Request& request) const;
  ApiReply calculate(const http::Request& request) const;

  AuroraConfig config_;
  Services services_;
  Ledger ledger_;
  std::map<std::string, std::chrono::system_clock::time_point, std::less<>> tokens_;
  std::uint64_t token_sequence_ = 0;
};

}  // namespace tender::net::hostsim
