// Fuzz target: the ConnexPay adapter's handling of host answers (the token's first), through
// its public HostAdapter interface only. Input framing and checks: host_answer.hpp. Seeds:
// tests/fuzz/corpus/connexpay_fuzz (the document's answers behind a token answer).
#include <string>
#include <string_view>

#include "host_answer.hpp"
#include "net/connexpay/connexpay_adapter.hpp"

namespace {

using namespace tender;

const std::vector<std::string>& secrets() {
  static const std::vector<std::string> s = {"4485754899788507", "connexpay-fuzz-password"};
  return s;
}

// A capture names an AuthOnly, every other follow-on a sale (connexpay_mapping.hpp's form).
fuzz::Requests requests(std::string_view input) {
  fuzz::Requests r;
  r.authorization.reference_id = "0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90";
  r.authorization.amount = Money(1550, usd());
  r.authorization.entry_mode = net::host::EntryMode::keyed;
  r.authorization.card.pan = SecretString("4485754899788507");  // H's AuthOnly example card
  r.authorization.card.expiry_yymm = SecretString("2912");
  r.authorization.card.cvc = SecretString("999");
  r.host_reference = input.starts_with("capture") ? "authonly:ad1f3f5f-8a1c-4d4e-9c4f-2b55a2cd0a3d"
                                                  : "sale:59344814-87c2-4a62-9859-9b0f5ecadf1e";
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz::KeepingSink sink;
  log::set_sink(&sink);
  auto parsed = fuzz::parse_input(input);
  std::size_t sent = 0;
  fuzz::ScriptedTransport transport(parsed.script, sent);
  net::connexpay::ConnexPayConfig config;
  config.username = "connexpay-fuzz";
  config.password = SecretString("connexpay-fuzz-password");
  config.device_guid = "8f2d6c1e-4b3a-4e9f-a7d5-c1b2e3f4a5d6";
  config.merchant_guid = "3c9e5b1a-7d2f-4a8e-b6c4-e2f1a9d8c7b5";
  config.unix_now = [] { return std::int64_t{1765000000}; };
  {
    net::connexpay::ConnexPayAdapter adapter(transport, config);
    fuzz::run_operation(adapter, parsed.operation, requests(input), input, secrets(), sink);
  }
  log::set_sink(nullptr);
  return 0;
}
