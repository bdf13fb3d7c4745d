// Aurora ARISE pay-api v1, served: paths, fields, codes and shapes from the vendor's own
// evidence (aurora_constants.hpp names each source); what the evidence leaves open is the
// simulator's choice, marked "sim" in the code and listed in README.md.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "net/hostsim/api.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/ledger.hpp"
#include "net/hostsim/simulated_api.hpp"

namespace tender::net::hostsim {

struct AuroraConfig {
  std::string client_id = "tender-test";
  std::string client_secret = "tender-test-secret";
  std::chrono::seconds token_lifetime{3600};
  // sim: the chip issuer's response tags (8A/91/71/72) as an extra `emvTags` field of the
  // authorization result. No vendor answer has such a field (IOS L1177, RAW E3): off, as the
  // real host; on, for a terminal that wants its card to see the issuer's scripts.
  bool issuer_emv_data = false;
};

// A transaction another client of the same merchant account made (a second terminal, the
// portal): what recovery must never take for its own.
struct ForeignPayment {
  bool sale = true;                // sale (Captured) or authorization (Authorized)
  std::int64_t total = 0;          // minor units, what the card was charged
  std::string first6 = "411111";
  std::string last4;
  std::string processor = "proc-1";
  std::string client = "another-terminal";
  std::int64_t create_method = 3;  // AND CreateMethodId TERMINAL
  std::int64_t card_data_source = 4;  // how its card was read (CardDataSourceDto 4 EMV)
  std::optional<std::chrono::system_clock::time_point> at;  // default: now by the clock
};

class AuroraApi final : public SimulatedApi {
 public:
  AuroraApi(AuroraConfig config, Services services, Store* store);

  [[nodiscard]] host::HostKind kind() const noexcept override { return host::HostKind::aurora; }
  [[nodiscard]] bool serves(std::string_view path) const override;
  [[nodiscard]] bool creates_transaction(const http::Request& request) const override;
  [[nodiscard]] bool takes_scripts(const http::Request& request) const override;
  ApiReply handle(const http::Request& request) override;
  // True for the token endpoint and for a request with a live bearer token.
  [[nodiscard]] bool authorized(const http::Request& request) const;
  http::Response server_error() override;
  Ledger& ledger() override { return ledger_; }
  // Records a stranger's transaction (tests, and the `+twin` behaviour).
  const Txn& record_foreign(const ForeignPayment& payment);

 private:
  ApiReply token(const http::Request& request);
  ApiReply payment(const http::Request& request, bool sale);
  ApiReply capture(const http::Request& request);
  ApiReply void_transaction(const http::Request& request);
  ApiReply refund(const http::Request& request);
  ApiReply refund_without_reference(const http::Request& request);
  ApiReply tip_adjustment(const http::Request& request);
  ApiReply settle(const http::Request& request);
  ApiReply get(std::string_view id);
  ApiReply list(const http::Request& request);
  ApiReply batches(const http::Request& request);
  ApiReply calculate(const http::Request& request);

  // Every answer carries a correlation id (body of errors, and the header).
  ApiReply reply(int status, Json body);
  ApiReply error(int status, std::string_view details, Json errors = nullptr);
  // 400 with the validation example's `errors` object naming the field.
  ApiReply invalid(std::string_view field, std::string_view message);
  std::string next_correlation_id();

  AuroraConfig config_;
  Services services_;
  Ledger ledger_;
  std::map<std::string, std::chrono::system_clock::time_point, std::less<>> tokens_;
  std::uint64_t token_sequence_ = 0;
  std::uint64_t correlation_ = 0;
};

}  // namespace tender::net::hostsim
