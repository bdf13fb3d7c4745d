// tender-emu emv run / emv cards: a whole contact transaction through the real kernel,
// against a built-in virtual card, a profile file, or a recorded trace. Simulation (the
// virtual cards, their test PKI, the simulated issuer), so the emulator's, not tenderctl's;
// the same output contract as tenderctl (app/tenderctl/cli.hpp).
#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <variant>

#include "app/emu/cmd_emv.hpp"

#include <cstdio>
#include <iostream>

#include "app/sim/simulated_issuer.hpp"
#include "app/tenderctl/cli.hpp"
#include "app/tenderctl/mask.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/replay_card.hpp"
#include "drivers/icc/sim/virtual_card.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "common/crypto/random.hpp"
#include "common/log.hpp"
#include "drivers/pinpad/pin_block.hpp"
#include "emv/kernel.hpp"

namespace tender::ctl {
namespace {

// The contract's outcome names (the kernel's own names are for people).
constexpr std::array<std::pair<emv::Outcome, std::string_view>, 7> kOutcomeNames = {{
    {emv::Outcome::approved_offline, "approved_offline"},
    {emv::Outcome::declined_offline, "declined_offline"},
    {emv::Outcome::online_request, "online_request"},
    {emv::Outcome::approved_online, "approved_online"},
    {emv::Outcome::declined_online, "declined_online"},
    {emv::Outcome::fallback, "fallback"},
    {emv::Outcome::terminated, "terminated"},
}};

std::string_view outcome_name(emv::Outcome outcome) {
  for (const auto& [o, n] : kOutcomeNames)
    if (o == outcome) return n;
  return "terminated";
}

enum class OnlineMode { approve, decline, unreachable };

// ISO 9564-1: a PIN is 4 to 12 decimal digits. Anything else must be refused here: the
// soft PED would fail to make a block and the kernel would carry on as if PIN entry
// failed (a signature sale), hiding the typo. The message never quotes the PIN.
Result<void> check_pin_option(std::optional<std::string_view> pin) {
  if (!pin) return ok();
  const bool digits = std::all_of(pin->begin(), pin->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || pin->size() < pinpad::kPinMinLength || pin->size() > pinpad::kPinMaxLength)
    return make_error(Errc::invalid_argument, "--pin must be 4 to 12 digits");
  return ok();
}

Result<OnlineMode> online_mode(const Args& args) {
  const auto mode = args.option("--online").value_or("approve");
  if (mode == "approve") return OnlineMode::approve;
  if (mode == "decline") return OnlineMode::decline;
  if (mode == "unreachable") return OnlineMode::unreachable;
  return make_error(Errc::invalid_argument, "--online must be approve, decline or unreachable");
}

// The card in the slot: a virtual card (with its profile, for the simulated
// issuer) or a replay card.
struct LoadedCard {
  std::optional<icc::sim::CardProfile> profile;
  std::variant<std::monostate, icc::sim::VirtualCard, icc::sim::ReplayCard> card;
  icc::Card* get() {
    if (auto* v = std::get_if<icc::sim::VirtualCard>(&card)) return v;
    if (auto* r = std::get_if<icc::sim::ReplayCard>(&card)) return r;
    return nullptr;
  }
};

Result<LoadedCard> load_card(const Args& args) {
  const auto card = args.option("--card");
  const auto trace = args.option("--trace");
  if (card.has_value() == trace.has_value()) return make_error(Errc::invalid_argument, "give exactly one of --card and --trace");
  LoadedCard loaded;
  if (trace) {
    auto replay = icc::sim::ReplayCard::load(std::string(*trace));
    if (!replay) return std::move(replay).error();
    loaded.card = std::move(*replay);
    return loaded;
  }
  // A path to a profile file, or the name of a built-in profile.
  auto profile = std::filesystem::exists(std::string(*card)) ? icc::sim::load_profile(std::string(*card))
                                                             : icc::sim::builtin_profile(*card);
  if (!profile) return std::move(profile).error();
  auto pki = icc::sim::builtin_pki();
  if (!pki) return std::move(pki).error();
  auto virtual_card = icc::sim::VirtualCard::create(*profile, **pki);
  if (!virtual_card) return std::move(virtual_card).error();
  loaded.profile = std::move(*profile);
  loaded.card = std::move(*virtual_card);
  return loaded;
}



Byte bcd(int v) { return static_cast<Byte>(((v / 10) << 4) | (v % 10)); }

emv::TransactionInput transaction(const Money& amount) {
  emv::TransactionInput input;
  input.amount = amount;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  input.date = {bcd(utc.tm_year % 100), bcd(utc.tm_mon + 1), bcd(utc.tm_mday)};
  input.time = {bcd(utc.tm_hour), bcd(utc.tm_min), bcd(utc.tm_sec)};
  input.sequence_counter = 1;
  return input;
}

// --verbose prints the APDU exchange; PAN and track data in it are masked. Every
// card-data value the card sent (and the PAN the kernel read) is found and
// replaced wherever it occurs, commands included.
Json masked_exchange(const std::vector<std::pair<Bytes, Bytes>>& exchange, const emv::KernelResult& result) {
  std::vector<Bytes> secrets;
  const std::function<void(const std::vector<emv::TlvNode>&)> collect = [&](const std::vector<emv::TlvNode>& nodes) {
    for (const auto& n : nodes) {
      if (n.constructed()) collect(n.children);
      else if (is_card_data_tag(n.tag) && n.value.size() >= 4) secrets.emplace_back(n.value.begin(), n.value.end());
    }
  };
  for (const auto& [c, r] : exchange) {
    if (r.size() < 2) continue;
    const ByteView data = ByteView{r}.first(r.size() - 2);
    if (auto nodes = emv::decode(data)) collect(*nodes);
  }
  if (!result.track2_equivalent.empty()) {
    const ByteView t2 = result.track2_equivalent.reveal();
    secrets.emplace_back(t2.begin(), t2.end());
  }
  Json out = Json::array();
  for (const auto& [c, r] : exchange) {
    std::string ch = to_hex(c), rh = to_hex(r);
    for (const auto& s : secrets) {
      const std::string clear = to_hex(s), masked = masked_card_data_hex(s);
      for (std::string* h : {&ch, &rh})
        for (auto at = h->find(clear); at != std::string::npos; at = h->find(clear, at + masked.size()))
          h->replace(at, clear.size(), masked);
    }
    if (result.pan) {  // digits of the PAN inside anything else (BCD)
      const std::string digits{result.pan->reveal()};
      for (std::string* h : {&ch, &rh})
        for (auto at = h->find(digits); at != std::string::npos; at = h->find(digits, at + 1))
          for (std::size_t i = 6; i + 4 < digits.size(); ++i) (*h)[at + i] = '*';
    }
    out.push_back(Json{{"c", ch}, {"r", rh}});
  }
  return out;
}

CommandResult emv_cards(const std::vector<std::string>& words) {
  auto args = parse_args(words, {});
  if (!args) return std::move(args).error();
  if (!args->positional.empty()) return make_error(Errc::invalid_argument, "usage: tender-emu emv cards");
  Json out = Json::array();
  for (const auto& builtin : icc::sim::builtin_profiles()) {
    auto profile = icc::sim::builtin_profile(builtin.name);
    if (!profile) return std::move(profile).error();
    out.push_back(Json{{"name", std::string(builtin.name)}, {"description", profile->description}});
  }
  return out;
}

CommandResult emv_run(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"--card", "--trace", "--amount", "--online", "--pin"}, {"--verbose"});
  if (!args) return std::move(args).error();
  if (!args->positional.empty()) return make_error(Errc::invalid_argument, "unexpected argument; see tenderctl --help");
  auto amount_text = args->required("--amount");
  if (!amount_text) return std::move(amount_text).error();
  auto config = app::builtin_test_terminal();
  if (!config) return std::move(config).error();
  auto amount = Money::parse(*amount_text, config->currency);
  if (!amount) return std::move(amount).error();
  auto mode = online_mode(*args);
  if (!mode) return std::move(mode).error();

  if (auto pin = check_pin_option(args->option("--pin")); !pin) return std::move(pin).error();

  auto card = load_card(*args);
  if (!card) return std::move(card).error();
  // No --pin: the cardholder presses ENTER without digits (PIN bypass).
  auto ped = app::test_pin_pad(args->option("--pin"));
  if (!ped) return std::move(ped).error();
  icc::SimReader reader;
  reader.insert(card->get());
  app::UnattendedUi ui;
  app::SystemRandom random;
  std::vector<std::pair<Bytes, Bytes>> exchange;
  emv::KernelOptions options;
  if (args->flags.contains("--verbose")) {
    options.transcript = [&exchange](ByteView c, ByteView r) {
      exchange.emplace_back(Bytes(c.begin(), c.end()), Bytes(r.begin(), r.end()));
    };
  }
  emv::Kernel kernel{reader, *ped, *config, ui, random, std::move(options)};
  const app::OnlineResponder responder =
      [&](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    if (*mode == OnlineMode::unreachable) return std::optional<emv::OnlineResponse>{};
    auto answer = app::answer_online_request(
        card->profile ? &*card->profile : nullptr, request,
        *mode == OnlineMode::approve ? app::IssuerDecision::approve : app::IssuerDecision::decline);
    if (!answer) return std::move(answer).error();
    return std::optional<emv::OnlineResponse>{std::move(answer->response)};
  };
  auto result = app::run_chip_transaction(kernel, transaction(*amount), responder);
  if (!result) return std::move(result).error();
  if (auto* replay = std::get_if<icc::sim::ReplayCard>(&card->card); replay && !replay->failures().empty())
    return make_error(Errc::malformed, "trace: " + replay->failures().front());

  Json out;
  out["aid"] = to_hex(result->aid);
  out["label"] = result->label;
  out["outcome"] = std::string(outcome_name(result->outcome));
  out["tvr"] = to_hex(result->tvr);
  out["tsi"] = to_hex(result->tsi);
  out["cvm_results"] = to_hex(result->cvm_results);
  out["cryptogram"] = result->cryptogram ? Json{{"type", std::string(emv::name(*result->cryptogram))}} : Json(nullptr);
  out["online_tags"] = to_hex(result->online_tags);
  if (!result->termination_reason.empty()) out["reason"] = result->termination_reason;
  if (args->flags.contains("--verbose")) out["exchange"] = masked_exchange(exchange, *result);
  return out;
}

}  // namespace

int emv_command(const std::vector<std::string>& words) {
  // One line on stderr for bad input, scrubbed: a mistyped line may carry a PAN.
  const auto fail = [](std::string_view message) {
    std::string line = log::scrub(message);
    for (char& c : line)
      if (c == '\n' || c == '\r') c = ' ';
    std::fprintf(stderr, "tender-emu: %s\n", line.c_str());
    return kExitBadInput;
  };
  if (words.empty()) return fail("emv needs run or cards");
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  CommandResult result = words[0] == "run"     ? emv_run(rest)
                         : words[0] == "cards" ? emv_cards(rest)
                                               : CommandResult(make_error(Errc::invalid_argument, "unknown emv command (run, cards)"));
  if (!result) return fail(result.error().describe());
  std::cout << result->dump() << '\n';
  return kExitOk;
}

}  // namespace tender::ctl
