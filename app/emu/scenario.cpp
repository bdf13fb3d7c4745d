#include "app/emu/scenario.hpp"

#include <array>
#include <fstream>
#include <sstream>

namespace tender::app::emu {
namespace {

using Json = nlohmann::json;

// What each step's value must be: the table is the format's definition.
enum class Shape { amount, text, boolean, string_list, object, count, last_or_reference };

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
    StepSpec{"expect_display", StepKind::expect_display, Shape::text},
    StepSpec{"expect_outcome", StepKind::expect_outcome, Shape::text},
    StepSpec{"expect_host_request", StepKind::expect_host_request, Shape::object},
    StepSpec{"expect_receipt", StepKind::expect_receipt, Shape::string_list},
    StepSpec{"expect_queue", StepKind::expect_queue, Shape::count},
};

Error bad(std::size_t index, const std::string& what) {
  return make_error(Errc::malformed, "step " + std::to_string(index) + ": " + what);
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
  if (spec == nullptr) return bad(index, "unknown step \"" + key + "\"");
  Step step;
  step.kind = spec->kind;
  step.index = index;
  const std::string name(spec->name);
  switch (spec->shape) {
    case Shape::amount:
      if (!value.is_string()) return bad(index, name + " takes an amount as a string, e.g. \"12.34\"");
      if (!Money::parse(value.get<std::string>(), usd())) return bad(index, name + ": not an amount: " + value.get<std::string>());
      step.amount = value.get<std::string>();
      break;
    case Shape::text:
      if (spec->kind == StepKind::power_cut && value.is_boolean()) {
        if (!value.get<bool>()) return bad(index, "power_cut takes true or a journal state");
        break;
      }
      if (!value.is_string() || value.get<std::string>().empty()) return bad(index, name + " takes a non-empty string");
      step.text = value.get<std::string>();
      break;
    case Shape::boolean:
      if (!value.is_boolean() || !value.get<bool>()) return bad(index, name + " takes true");
      break;
    case Shape::last_or_reference:
      if (!value.is_string()) return bad(index, name + " takes \"last\" or a reference id");
      step.text = value.get<std::string>() == "last" ? std::string{} : value.get<std::string>();
      break;
    case Shape::string_list:
      if (!value.is_array() || value.empty()) return bad(index, name + " takes a non-empty list of strings");
      for (const auto& s : value) {
        if (!s.is_string()) return bad(index, name + " takes strings only");
        step.texts.push_back(s.get<std::string>());
      }
      break;
    case Shape::object:
      if (!value.is_object() || !value.contains("path") || !value["path"].is_string()) {
        return bad(index, name + " takes {\"path\": \"...\", \"json\": {...}}");
      }
      for (const auto& [k, v] : value.items()) {
        if (k != "path" && k != "json" && k != "method") return bad(index, name + ": unknown field \"" + k + "\"");
        (void)v;
      }
      if (value.contains("json") && !value["json"].is_object()) return bad(index, name + ": json must be an object");
      step.json = value;
      break;
    case Shape::count:
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0) return bad(index, name + " takes a count");
      step.number = value.get<std::int64_t>();
      break;
  }
  return step;
}

}  // namespace

std::string_view to_string(StepKind kind) noexcept {
  for (const auto& s : kSteps) {
    if (s.kind == kind) return s.name;
  }
  return "?";
}

Result<Scenario> parse_scenario(std::string_view text, std::string file) {
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::malformed, "not a JSON object");
  for (const auto& [k, v] : j.items()) {
    if (k != "name" && k != "host" && k != "config" && k != "steps" && k != "description") {
      return make_error(Errc::malformed, "unknown field \"" + k + "\"");
    }
    (void)v;
  }
  Scenario s;
  s.file = std::move(file);
  if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty()) {
    return make_error(Errc::malformed, "name: a non-empty string is required");
  }
  s.name = j["name"].get<std::string>();
  const std::string host = j.value("host", "aurora");
  if (host == "aurora") s.host = HostChoice::aurora;
  else if (host == "fullstack") s.host = HostChoice::fullstack;
  else return make_error(Errc::malformed, "host: \"aurora\" or \"fullstack\"");
  if (j.contains("config")) {
    if (!j["config"].is_object()) return make_error(Errc::malformed, "config: an object");
    s.config = j["config"];
  }
  if (!j.contains("steps") || !j["steps"].is_array() || j["steps"].empty()) {
    return make_error(Errc::malformed, "steps: a non-empty list is required");
  }
  std::size_t index = 0;
  for (const auto& step : j["steps"]) {
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
