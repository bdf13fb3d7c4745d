// Fuzz target: the Aurora ARISE adapter's handling of host answers (the OAuth token
// answer included), through its public HostAdapter interface only. Input framing and
// checks: host_answer.hpp. Seeds: tests/fuzz/corpus/aurora_fuzz (the documents' answers).
#include <chrono>
#include <string>
#include <string_view>

#include "host_answer.hpp"
#include "net/aurora/aurora_adapter.hpp"

namespace {

using namespace tender;

const std::vector<std::string>& secrets() {
  // The request's card data, its track, and the client secret.
  static const std::vector<std::string> s = {"5413330056003511", "CUST IMP MC", "2512101000000000",
                                             "fuzz-client-secret"};
  return s;
}

fuzz::Requests requests() {
  fuzz::Requests r;
  r.authorization.reference_id = "6f1c2a9e-3b7d-4e21-9c55-0a8b7e6d5f43";
  r.authorization.amount = Money(1010, usd());
  r.authorization.entry_mode = net::host::EntryMode::swiped;
  r.authorization.card.track1 = SecretString("B5413330056003511^CUST IMP MC 351/^2512101000000000");  // a test track
  r.host_reference = "fe520286-0125-4cc4-bd3c-f50333e679e5";
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz::KeepingSink sink;
  log::set_sink(&sink);
  auto parsed = fuzz::parse_input(input);
  std::size_t sent = 0;
  fuzz::ScriptedTransport api(parsed.script, sent);
  fuzz::ScriptedTransport oauth(parsed.script, sent);
  net::aurora::AuroraConfig config;
  config.client_id = "tender-test";
  config.client_secret = SecretString("fuzz-client-secret");
  config.payment_processor_id = "d53252fb-7086-452e-a12c-f413ea56141f";
  {
    // A fixed clock: the token's expiry arithmetic is checked for overflow by UBSan.
    net::aurora::AuroraAdapter adapter(api, oauth, config, [] { return std::chrono::steady_clock::time_point{}; });
    fuzz::run_operation(adapter, parsed.operation, requests(), input, secrets(), sink);
  }
  log::set_sink(nullptr);
  return 0;
}
