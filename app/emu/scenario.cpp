#include "app/emu/scenario.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/journal/journal.hpp"
#include "app/journal/lifecycle.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "net/hostsim/behaviour.hpp"

namespace tender::app::emu {
namespace {

using Json = nlohmann::json;

// What each step's value must be: the table is the format's definition.
enum class Shape { amount, text, boolean, string_list, object, count, last_or_reference, settlement };

struct StepSpec {
  std::string_view name;
  StepKind kind;
  Shape shape;
};

constexpr std::array kSteps{
    StepSpec{"sale", StepKind::sale, Shape::amount},
    StepSpec{"preauth", StepKind::preauth, Shape::amount},
    StepSpec{"verify", StepKind::verify, Shape::boolean},
    StepSpec{"refund", StepKind::refund, Shape::amount},
    StepSpec{"void", StepKind::void_, Shape::last_or_reference},
    StepSpec{"capture", StepKind::capture, Shape::amount},
    StepSpec{"tip_adjust", StepKind::tip_adjust, Shape::amount},
    StepSpec{"settle", StepKind::settle, Shape::boolean},
    StepSpec{"flush", StepKind::flush, Shape::boolean},
    StepSpec{"insert", StepKind::insert, Shape::text},
    StepSpec{"swipe", StepKind::swipe, Shape::text},
    StepSpec{"keyed", StepKind::keyed, Shape::text},  // "PAN=YYMM" or "PAN=YYMM=CVC"
    StepSpec{"key", StepKind::key, Shape::text},
    StepSpec{"pin", StepKind::pin, Shape::text},
    StepSpec{"remove_card", StepKind::remove_card, Shape::boolean},
    StepSpec{"host_behaviour", StepKind::host_behaviour, Shape::text},
    StepSpec{"power_cut", StepKind::power_cut, Shape::text},  // true, or the journal state to cut at
    StepSpec{"restart", StepKind::restart, Shape::boolean},
    StepSpec{"advance_clock", StepKind::advance_clock, Shape::count},              // seconds
    StepSpec{"other_terminal_sale", StepKind::other_terminal_sale, Shape::amount},  // at the host
    StepSpec{"expect_display", StepKind::expect_display, Shape::text},
    StepSpec{"expect_outcome", StepKind::expect_outcome, Shape::text},
    StepSpec{"expect_host_request", StepKind::expect_host_request, Shape::object},
    StepSpec{"expect_receipt", StepKind::expect_receipt, Shape::string_list},
    StepSpec{"expect_queue", StepKind::expect_queue, Shape::count},
    StepSpec{"expect_settlement", StepKind::expect_settlement, Shape::settlement},
};

// The outcome words of expect_outcome (tests/scenarios/README.md); after a restart the
// journal's end state names are accepted too.
constexpr std::array<std::string_view, 7> kOutcomes{"approved",  "approved_offline", "partially_approved", "declined",
                                                    "cancelled", "reversed",         "failed"};
constexpr std::array<std::string_view, 5> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};

// expect_host_request's json subset is compared recursively: a bound on its nesting keeps a
// hostile file from exhausting the stack.
constexpr int kMaxSubsetDepth = 16;
constexpr std::int64_t kMaxQueueCount = 1'000'000;
constexpr std::int64_t kMaxMilliseconds = 3'600'000;  // an hour: longer is a typo

// A message names the step and the field; the value goes in only when it is one of the
// format's own words (the caller knows), never what the file's author typed as card data.
Error bad(std::size_t index, const std::string& what) {
  return make_error(Errc::malformed, "step " + std::to_string(index) + ": " + what);
}

// The journal states a power cut can wait for: those a move of the row's lifecycle writes.
// (`created` is not one: a row is first written as the request leaves; only an older
// version's rows are found in it.) As "sent, approved, ...", in the table's order.
std::string power_cut_states() {
  std::vector<TxnState> states;
  for (const RowMove& move : row_moves()) {
    if (std::find(states.begin(), states.end(), move.to) == states.end()) states.push_back(move.to);
  }
  std::string out;
  for (const TxnState state : states) {
    if (!out.empty()) out += ", ";
    out += to_string(state);
  }
  return out;
}

bool written_by_a_move(TxnState state) {
  const auto moves = row_moves();
  return std::any_of(moves.begin(), moves.end(), [state](const RowMove& move) { return move.to == state; });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// "PAN=YYMM" or "PAN=YYMM=CVC": 12..19 digits (the check digit is the terminal's to judge),
// an expiry of 4 digits, a CVC of 3 or 4.
bool keyed_shape(std::string_view text) {
  const auto first = text.find('=');
  if (first == std::string_view::npos) return false;
  const std::string_view pan = text.substr(0, first);
  std::string_view rest = text.substr(first + 1);
  const auto second = rest.find('=');
  const std::string_view expiry = rest.substr(0, second);
  if (pan.size() < 12 || pan.size() > 19 || !all_digits(pan)) return false;
  if (expiry.size() != 4 || !all_digits(expiry)) return false;
  if (second == std::string_view::npos) return true;
  const std::string_view cvc = rest.substr(second + 1);
  return (cvc.size() == 3 || cvc.size() == 4) && all_digits(cvc);
}

bool is_builtin_card(std::string_view name) {
  const auto cards = icc::sim::builtin_profiles();
  return std::any_of(cards.begin(), cards.end(), [&](const icc::sim::BuiltinProfile& p) { return p.name == name; });
}

bool depth_within(const Json& j, int depth) {
  if (depth > kMaxSubsetDepth) return false;
  if (!j.is_structured()) return true;
  return std::all_of(j.begin(), j.end(), [&](const Json& v) { return depth_within(v, depth + 1); });
}

// The value of a text step, checked against what its kind accepts.
Result<void> check_text(const StepSpec& spec, std::size_t index, const std::string& text) {
  const std::string name(spec.name);
  switch (spec.kind) {
    case StepKind::insert:
      if (!is_builtin_card(text)) return bad(index, "insert: no built-in card of that name (drivers/icc/sim/cards)");
      return ok();
    case StepKind::keyed:
      if (!keyed_shape(text)) return bad(index, "keyed: takes PAN=YYMM or PAN=YYMM=CVC (12 to 19 digits, 4, 3 or 4)");
      return ok();
    case StepKind::key:
      if (text != "ENTER" && text != "CANCEL" && !(text.size() == 1 && all_digits(text))) {
        return bad(index, "key: takes ENTER, CANCEL or one digit 0-9");
      }
      return ok();
    case StepKind::pin:
      if (text.size() < 4 || text.size() > 12 || !all_digits(text)) return bad(index, "pin: takes 4 to 12 digits");
      return ok();
    case StepKind::host_behaviour:
      if (text == "unreachable" || text == "reachable") return ok();
      if (auto script = net::hostsim::parse_behaviour(text); !script) {
        return bad(index, "host_behaviour: " + script.error().message);
      }
      return ok();
    case StepKind::power_cut:
      if (const auto state = txn_state_from_string(text); !state || !written_by_a_move(*state)) {
        return bad(index, "power_cut: takes true or a journal state a row is written in (" + power_cut_states() + ")");
      }
      return ok();
    case StepKind::expect_outcome:
      if (std::find(kOutcomes.begin(), kOutcomes.end(), text) == kOutcomes.end() && !txn_state_from_string(text)) {
        return bad(index, "expect_outcome: not an outcome (approved, declined, reversed, approved_offline, cancelled, failed)");
      }
      return ok();
    default:
      (void)name;
      return ok();
  }
}

std::optional<std::int64_t> count_of(const Json& v) {
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxQueueCount)) {
    return static_cast<std::int64_t>(v.get<std::uint64_t>());
  }
  if (v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= kMaxQueueCount) {
    return v.get<std::int64_t>();
  }
  return std::nullopt;
}

// {"accepted": true, "transactions": 3, "sale": {"count": 2, "total": "22.00"}, "refund": {"count": 0}}
Result<SettlementCheck> parse_settlement(const Json& value, std::size_t index) {
  constexpr std::string_view kShape =
      "expect_settlement takes {\"accepted\": true, \"transactions\": N, \"sale\": {\"count\": N, \"total\": \"12.34\"}, ...}";
  if (!value.is_object() || value.empty()) return bad(index, std::string(kShape));
  SettlementCheck check;
  for (const auto& [k, v] : value.items()) {
    if (k == "accepted") {
      if (!v.is_boolean()) return bad(index, "expect_settlement: accepted takes true or false");
      check.accepted = v.get<bool>();
      continue;
    }
    if (k == "transactions") {
      check.transactions = count_of(v);
      if (!check.transactions) return bad(index, "expect_settlement: transactions takes a count (a whole number, 0 or more)");
      continue;
    }
    const auto kind = txn_kind_from_string(k);
    if (!kind) {
      return bad(index, "expect_settlement: unknown field " + shown_name(k) +
                            " (accepted, transactions, or a kind: sale, preauth, capture, void, refund, tip_adjust, verify)");
    }
    const std::string where = "expect_settlement: " + k;
    if (!v.is_object() || v.empty()) return bad(index, where + " takes {\"count\": N, \"total\": \"12.34\"}");
    SettlementKindCheck kc;
    kc.kind = *kind;
    for (const auto& [field, fv] : v.items()) {
      if (field == "count") {
        kc.count = count_of(fv);
        if (!kc.count) return bad(index, where + ".count takes a count (a whole number, 0 or more)");
      } else if (field == "total") {
        if (fv.is_string()) {
          if (auto total = Money::parse(fv.get<std::string>(), usd())) kc.total = *total;
        }
        if (!kc.total) return bad(index, where + ".total takes an amount as a string, e.g. \"12.34\"");
      } else {
        return bad(index, where + ": unknown field " + shown_name(field) + " (count, total)");
      }
    }
    check.kinds.push_back(std::move(kc));
  }
  return check;
}

Result<Step> parse_step(const Json& j, std::size_t index) {
  if (!j.is_object() || j.size() != 1) return bad(index, "a step is an object with exactly one key");
  const auto first = j.begin();
  const std::string key = first.key();
  const Json& value = first.value();
  const StepSpec* spec = nullptr;
  for (const auto& s : kSteps) {
    if (s.name == key) spec = &s;
  }
  if (spec == nullptr) return bad(index, "unknown step " + shown_name(key));
  Step step;
  step.kind = spec->kind;
  step.index = index;
  const std::string name(spec->name);
  switch (spec->shape) {
    case Shape::amount:
      if (!value.is_string()) return bad(index, name + " takes an amount as a string, e.g. \"12.34\"");
      if (!Money::parse(value.get<std::string>(), usd())) return bad(index, name + ": not an amount, e.g. \"12.34\"");
      step.amount = value.get<std::string>();
      break;
    case Shape::text:
      if (spec->kind == StepKind::power_cut && value.is_boolean()) {
        if (!value.get<bool>()) return bad(index, "power_cut takes true or a journal state");
        break;
      }
      if (!value.is_string() || value.get<std::string>().empty()) return bad(index, name + " takes a non-empty string");
      step.text = value.get<std::string>();
      if (spec->kind == StepKind::host_behaviour) {
        // "behaviour*N": the next N requests get it (number; 1 without a star).
        step.number = 1;
        if (const auto star = step.text.rfind('*'); star != std::string::npos) {
          const std::string n = step.text.substr(star + 1);
          if (n.empty() || n.size() > 3 || !all_digits(n) || std::stoi(n) < 1) {
            return bad(index, "host_behaviour: behaviour*N takes a count of 1 to 999");
          }
          step.number = std::stoi(n);
          step.text.resize(star);
        }
      }
      if (auto checked = check_text(*spec, index, step.text); !checked) return std::move(checked).error();
      break;
    case Shape::boolean:
      if (!value.is_boolean() || !value.get<bool>()) return bad(index, name + " takes true");
      break;
    case Shape::last_or_reference:
      if (!value.is_string() || value.get<std::string>().empty()) return bad(index, name + " takes \"last\" or a reference id");
      step.text = value.get<std::string>() == "last" ? std::string{} : value.get<std::string>();
      break;
    case Shape::string_list:
      if (!value.is_array() || value.empty()) return bad(index, name + " takes a non-empty list of strings");
      for (const auto& s : value) {
        if (!s.is_string()) return bad(index, name + " takes strings only");
        step.texts.push_back(s.get<std::string>());
      }
      break;
    case Shape::object: {
      if (!value.is_object()) return bad(index, name + " takes {\"path\": \"...\", \"method\": \"POST\", \"json\": {...}}");
      for (const auto& [k, v] : value.items()) {
        if (k == "path") {
          if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().front() != '/') {
            return bad(index, name + ": path takes a string starting with /");
          }
        } else if (k == "method") {
          if (!v.is_string() || std::find(kMethods.begin(), kMethods.end(), v.get<std::string>()) == kMethods.end()) {
            return bad(index, name + ": method takes GET, POST, PUT, PATCH or DELETE");
          }
        } else if (k == "json") {
          if (!v.is_object()) return bad(index, name + ": json must be an object");
          if (!depth_within(v, 1)) return bad(index, name + ": json nests deeper than " + std::to_string(kMaxSubsetDepth));
        } else if (k == "count") {
          if (!v.is_number_unsigned() || v.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxQueueCount)) {
            return bad(index, name + ": count takes a whole number, 0 or more");
          }
        } else {
          return bad(index, name + ": unknown field " + shown_name(k));
        }
      }
      const auto path = value.find("path");
      if (path == value.end()) return bad(index, name + ": path is required");
      step.path = path->get<std::string>();
      if (const auto m = value.find("method"); m != value.end()) step.method = m->get<std::string>();
      if (const auto body = value.find("json"); body != value.end()) step.json = *body;
      if (const auto c = value.find("count"); c != value.end()) step.count = static_cast<std::int64_t>(c->get<std::uint64_t>());
      break;
    }
    case Shape::count:
      if (const auto n = count_of(value)) {
        step.number = *n;
      } else {
        return bad(index, name + " takes a count (a whole number, 0 or more)");
      }
      break;
    case Shape::settlement: {
      auto check = parse_settlement(value, index);
      if (!check) return std::move(check).error();
      step.settlement = std::move(*check);
      break;
    }
  }
  return step;
}

// A whole number of milliseconds, 0..kMaxMilliseconds.
std::optional<std::chrono::milliseconds> milliseconds_of(const Json& v) {
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxMilliseconds)) {
    return std::chrono::milliseconds{static_cast<std::int64_t>(v.get<std::uint64_t>())};
  }
  if (v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() >= 0 &&
      v.get<std::int64_t>() <= kMaxMilliseconds) {
    return std::chrono::milliseconds{v.get<std::int64_t>()};
  }
  return std::nullopt;
}

Result<ScenarioConfig> parse_config(const Json& c) {
  if (!c.is_object()) return make_error(Errc::malformed, "config: an object");
  ScenarioConfig out;
  const auto amount = [](const Json& v) -> std::optional<std::int64_t> {
    if (!v.is_string()) return std::nullopt;
    auto m = Money::parse(v.get<std::string>(), usd());
    if (!m || m->minor_units() < 0) return std::nullopt;
    return m->minor_units();
  };
  for (const auto& [k, v] : c.items()) {
    if (k == "surcharge" || k == "print_customer_copy") {
      if (!v.is_boolean()) return make_error(Errc::malformed, "config." + k + ": true or false");
      (k == "surcharge" ? out.surcharge : out.print_customer_copy) = v.get<bool>();
    } else if (k == "partial") {
      if (!v.is_string()) return make_error(Errc::malformed, "config.partial: ask, accept or reverse");
      const std::string p = v.get<std::string>();
      if (p == "ask") out.partial = ScenarioConfig::Partial::ask;
      else if (p == "accept") out.partial = ScenarioConfig::Partial::accept;
      else if (p == "reverse") out.partial = ScenarioConfig::Partial::reverse;
      else return make_error(Errc::malformed, "config.partial: ask, accept or reverse");
    } else if (k == "offline_swipe_limit" || k == "floor_limit") {
      const auto m = amount(v);
      if (!m) return make_error(Errc::malformed, "config." + k + ": an amount as a string, e.g. \"50.00\"");
      (k == "floor_limit" ? out.floor_limit : out.offline_swipe_limit) = *m;
    } else if (k == "prompt_timeout_ms" || k == "host_deadline_ms") {
      const auto ms = milliseconds_of(v);
      if (!ms) return make_error(Errc::malformed, "config." + k + ": milliseconds, 0 to 3600000");
      (k == "prompt_timeout_ms" ? out.prompt_timeout : out.host_deadline) = *ms;
    } else {
      return make_error(Errc::malformed, "config: unknown field " + shown_name(k));
    }
  }
  return out;
}

// "line L, column C" of the 1-based byte offset `byte` (where the parser stopped).
std::string text_position(std::string_view text, std::size_t byte) {
  const std::size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

std::string_view to_string(StepKind kind) noexcept {
  for (const auto& s : kSteps) {
    if (s.kind == kind) return s.name;
  }
  return "?";
}

std::string shown_name(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  constexpr std::size_t kMaxDigits = 3;  // a PIN has 4 or more, a PAN 12 or more
  const bool plain = !text.empty() && text.size() <= kMaxShown && std::isalpha(static_cast<unsigned char>(text.front())) &&
                     std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }) &&
                     static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) <= kMaxDigits;
  return plain ? "\"" + std::string(text) + "\"" : "(not shown: not a plain name)";
}

Result<Scenario> parse_scenario(std::string_view text, std::string file) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // The position only: the library's own message quotes the text it stopped at.
    return make_error(Errc::malformed, "not JSON: syntax error at " + text_position(text, e.byte));
  } catch (const Json::exception&) {
    return make_error(Errc::malformed, "not JSON");
  }
  if (!j.is_object()) return make_error(Errc::malformed, "not a JSON object");
  Scenario s;
  s.file = std::move(file);
  const Json* steps = nullptr;
  bool named = false;
  // Every member by its type: nothing below may throw on what a file holds.
  for (const auto& [k, v] : j.items()) {
    if (k == "name") {
      if (!v.is_string() || v.get<std::string>().empty()) return make_error(Errc::malformed, "name: a non-empty string is required");
      s.name = v.get<std::string>();
      named = true;
    } else if (k == "description") {
      if (!v.is_string()) return make_error(Errc::malformed, "description: a string");
    } else if (k == "host") {
      const auto kind = v.is_string() ? net::host::host_kind_from(v.get_ref<const std::string&>()) : std::nullopt;
      if (!kind) return make_error(Errc::malformed, "host: " + net::host::host_kind_choices());
      s.host = *kind;
    } else if (k == "config") {
      auto config = parse_config(v);
      if (!config) return std::move(config).error();
      s.config = *config;
    } else if (k == "steps") {
      if (!v.is_array() || v.empty()) return make_error(Errc::malformed, "steps: a non-empty list is required");
      steps = &v;
    } else {
      return make_error(Errc::malformed, "unknown field " + shown_name(k));
    }
  }
  if (!named) return make_error(Errc::malformed, "name: a non-empty string is required");
  if (steps == nullptr) return make_error(Errc::malformed, "steps: a non-empty list is required");
  s.steps.reserve(steps->size());  // exactly: a scenario of a thousand sales is thousands of steps
  std::size_t index = 0;
  for (const auto& step : *steps) {
    auto parsed = parse_step(step, ++index);
    if (!parsed) return std::move(parsed).error();
    s.steps.push_back(std::move(*parsed));
  }
  return s;
}

Result<Scenario> load_scenario(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(Errc::io_error, "cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto s = parse_scenario(buffer.str(), path);
  if (!s) return make_error(s.error().code, path + ": " + s.error().message);
  return s;
}

}  // namespace tender::app::emu
