// Shared by aurora_fuzz, fullstack_fuzz and connexpay_fuzz: a host adapter driven only through its public
// HostAdapter interface, over a fake http::Transport whose answers come from the fuzz
// input. Nothing here names an adapter's internal parsers, so the adapters' insides can
// change freely; whatever they do with an answer, they must keep the contract.
//
// Input framing (text, so seeds are easy to read and write; tests/fuzz/corpus/*/):
//   OPERATION\n ANSWER [\n--\n ANSWER]...
//   OPERATION  sale | authorize | capture | void | refund | tip_adjust | lookup | settle |
//              calculate_amount; anything else picks one by its first byte
//   ANSWER     STATUS\nBODY: the answer to the next request the adapter sends, whichever
//              transport (API or OAuth) it goes through. STATUS is 1-3 digits, or one of
//              timeout, io_error, malformed, out_of_range (a transport error), else 200.
//   Once the answers run out every request fails with io_error; after 32 requests too.
//
// Checked beyond "no crash, no leak, no UB": the handler runs exactly once (the fake
// answers at once, so before the operation returns); no result, error message or log
// line carries the request's card data or the adapter's credential unless the input
// itself does (the host echoed it).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "net/host/host_adapter.hpp"
#include "net/http/transport.hpp"

namespace tender::fuzz {

inline constexpr std::size_t kMaxRequests = 32;

// Keeps log lines, so they can be searched for secrets (and not printed: millions).
class KeepingSink : public log::Sink {
 public:
  void write(log::Level, std::string_view component, std::string_view line) override {
    lines.emplace_back(component);
    lines.back() += ": ";
    lines.back() += line;
  }
  std::vector<std::string> lines;
};

class ScriptedTransport : public net::http::Transport {
 public:
  explicit ScriptedTransport(std::deque<Result<net::http::Response>>& script, std::size_t& sent)
      : script_(script), sent_(sent) {}
  void async_send(net::http::Request, std::chrono::milliseconds, net::http::ResponseHandler handler) override {
    if (++sent_ > kMaxRequests || script_.empty()) {
      handler(make_error(Errc::io_error, "fuzz transport: no answer"));
      return;
    }
    auto answer = std::move(script_.front());
    script_.pop_front();
    handler(std::move(answer));
  }

 private:
  std::deque<Result<net::http::Response>>& script_;
  std::size_t& sent_;
};

enum class Operation { sale, authorize, capture, void_, refund, tip_adjust, lookup, settle, calculate_amount };

struct Parsed {
  Operation operation = Operation::sale;
  std::deque<Result<net::http::Response>> script;
};

inline Result<net::http::Response> parse_answer(std::string_view text) {
  const auto newline = text.find('\n');
  const std::string_view status = text.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  for (const auto& [word, code] : {std::pair{"timeout", Errc::timeout}, std::pair{"io_error", Errc::io_error},
                                   std::pair{"malformed", Errc::malformed}, std::pair{"out_of_range", Errc::out_of_range}})
    if (status == word) return make_error(code, "fuzz transport failure");
  net::http::Response response;
  const bool digits = !status.empty() && status.size() <= 3 &&
                      status.find_first_not_of("0123456789") == std::string_view::npos;
  response.status = digits ? std::stoi(std::string(status)) : 200;
  response.body = std::string(digits ? body : text);
  response.set_header("Content-Type", "application/json");
  return response;
}

inline Parsed parse_input(std::string_view text) {
  static constexpr std::pair<std::string_view, Operation> kNames[] = {
      {"sale", Operation::sale},     {"authorize", Operation::authorize},   {"capture", Operation::capture},
      {"void", Operation::void_},    {"refund", Operation::refund},         {"tip_adjust", Operation::tip_adjust},
      {"lookup", Operation::lookup}, {"settle", Operation::settle},         {"calculate_amount", Operation::calculate_amount}};
  Parsed out;
  const auto newline = text.find('\n');
  const std::string_view name = text.substr(0, newline);
  bool known = false;
  for (const auto& [n, op] : kNames)
    if (name == n) out.operation = op, known = true;
  if (!known && !text.empty()) out.operation = kNames[static_cast<unsigned char>(text[0]) % std::size(kNames)].second;
  std::string_view rest = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  while (!rest.empty()) {
    const auto cut = rest.find("\n--\n");
    out.script.push_back(parse_answer(rest.substr(0, cut)));
    rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 4);
  }
  return out;
}

// Whether `text` carries any of `secrets` that the input did not carry itself.
inline bool leaks(std::string_view text, std::string_view input, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets)
    if (text.find(s) != std::string_view::npos && input.find(s) == std::string_view::npos) return true;
  return false;
}

struct Requests {
  net::host::AuthorizationRequest authorization;
  std::string host_reference;
};

// Runs `operation` on `adapter`; aborts when the contract is broken.
inline void run_operation(net::host::HostAdapter& adapter, Operation operation, const Requests& requests,
                          std::string_view input, const std::vector<std::string>& secrets, const KeepingSink& sink) {
  using namespace net::host;
  int calls = 0;
  std::vector<std::string> said;  // every text the adapter handed back
  const auto note_error = [&](const Error& e) { said.push_back(e.message); };
  const auto on_result = [&](Result<HostResult> r) {
    ++calls;
    if (!r) return note_error(r.error());
    said.insert(said.end(), {r->auth_code, r->host_reference, r->response_code, r->response_message});
  };
  const std::string reference = requests.authorization.reference_id;
  const Money amount = requests.authorization.amount;
  switch (operation) {
    case Operation::sale: adapter.sale(requests.authorization, on_result); break;
    case Operation::authorize: adapter.authorize(requests.authorization, on_result); break;
    case Operation::capture: adapter.capture({reference, requests.host_reference, amount}, on_result); break;
    case Operation::void_: adapter.void_({reference, requests.host_reference}, on_result); break;
    case Operation::refund: adapter.refund({reference, requests.host_reference, amount}, on_result); break;
    case Operation::tip_adjust:
      adapter.tip_adjust({reference, requests.host_reference, Money(200, amount.currency())}, on_result);
      break;
    case Operation::lookup: adapter.lookup({reference, requests.host_reference}, on_result); break;
    case Operation::settle:
      adapter.settle({}, [&](Result<SettleResult> r) {
        ++calls;
        if (!r) return note_error(r.error());
        said.insert(said.end(), {r->response_code, r->response_message});
      });
      break;
    case Operation::calculate_amount:
      adapter.calculate_amount({amount, Money(100, amount.currency()), "541333", "CA", "US"},
                               [&](Result<CalculateAmountResult> r) {
                                 ++calls;
                                 if (!r) return note_error(r.error());
                               });
      break;
  }
  if (calls != 1) std::abort();
  for (const auto& text : said)
    if (leaks(text, input, secrets)) std::abort();
  for (const auto& line : sink.lines)
    if (leaks(line, input, secrets)) std::abort();
}

}  // namespace tender::fuzz
