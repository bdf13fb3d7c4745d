// Fuzz target: the FullStack gateway adapter's handling of host answers, through its
// public HostAdapter interface only. Input framing and checks: host_answer.hpp. Seeds:
// tests/fuzz/corpus/fullstack_fuzz (the documents' answers).
#include <string>
#include <string_view>

#include "host_answer.hpp"
#include "net/fullstack/fullstack_adapter.hpp"

namespace {

using namespace tender;

const std::vector<std::string>& secrets() {
  static const std::vector<std::string> s = {"4012000098765439", "api_fuzz_private_key"};
  return s;
}

fuzz::Requests requests() {
  fuzz::Requests r;
  r.authorization.reference_id = "0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90";
  r.authorization.amount = Money(1112, usd());
  r.authorization.entry_mode = net::host::EntryMode::keyed;
  r.authorization.card.pan = SecretString("4012000098765439");  // the document's own test card
  r.authorization.card.expiry_yymm = SecretString("2912");
  r.authorization.card.cvc = SecretString("999");
  r.host_reference = "b7kgflt1tlv51er0fts0";
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
  net::fullstack::FullStackConfig config;
  config.api_key = SecretString("api_fuzz_private_key");
  config.terminal_id = "1ucio551tlv85l7moe5s";
  {
    net::fullstack::FullStackAdapter adapter(transport, config);
    fuzz::run_operation(adapter, parsed.operation, requests(), input, secrets(), sink);
  }
  log::set_sink(nullptr);
  return 0;
}
