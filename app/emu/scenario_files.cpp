#include "app/emu/scenario_files.hpp"

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Between two receipts in receipts.txt.
const std::string kReceiptRule = std::string(32, '=');

Result<std::ofstream> create(const fs::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(Errc::io_error, "cannot write " + path.string());
  return out;
}

}  // namespace

std::string host_log_line(const HostRequest& request) {
  Json line{{"method", request.method}, {"path", request.path}, {"body", request.body}};
  if (request.status) {
    line["status"] = *request.status;
    line["response"] = request.response;
  }
  if (request.error) line["error"] = *request.error;
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<HostRequest> parse_host_log_line(std::string_view line) {
  const Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::malformed, "host.log: not a JSON object");
  const auto method = j.find("method");
  const auto path = j.find("path");
  if (method == j.end() || !method->is_string() || path == j.end() || !path->is_string()) {
    return make_error(Errc::malformed, "host.log: method and path are required");
  }
  HostRequest r;
  r.method = method->get<std::string>();
  r.path = path->get<std::string>();
  if (const auto body = j.find("body"); body != j.end()) r.body = *body;
  if (const auto status = j.find("status"); status != j.end() && status->is_number_integer()) r.status = status->get<int>();
  if (const auto response = j.find("response"); response != j.end()) r.response = *response;
  if (const auto error = j.find("error"); error != j.end() && error->is_string()) r.error = error->get<std::string>();
  return r;
}

Result<ScenarioFiles> ScenarioFiles::open(const fs::path& dir, std::string relative) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::io_error, "cannot create " + dir.string());
  ScenarioFiles files;
  files.dir_ = dir;
  files.relative_ = std::move(relative);
  auto receipts = create(dir / kReceipts);
  if (!receipts) return std::move(receipts).error();
  auto host = create(dir / kHostLog);
  if (!host) return std::move(host).error();
  auto display = create(dir / kDisplayLog);
  if (!display) return std::move(display).error();
  files.receipts_out_ = std::move(*receipts);
  files.host_out_ = std::move(*host);
  files.display_out_ = std::move(*display);
  return files;
}

void ScenarioFiles::receipt(std::string_view text) {
  receipts_out_ << text << '\n' << kReceiptRule << '\n';
  ++receipts_;
}

void ScenarioFiles::display(std::string_view line) {
  display_out_ << line << '\n';
  ++screens_;
}

void ScenarioFiles::host(const HostRequest& request) {
  host_out_ << host_log_line(request) << '\n';
  ++requests_;
}

Result<void> ScenarioFiles::for_each_request(const std::function<void(const HostRequest&)>& visit) {
  host_out_.flush();
  if (!host_out_) return make_error(Errc::io_error, "cannot write " + (dir_ / kHostLog).string());
  std::ifstream in(dir_ / kHostLog, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "cannot read " + (dir_ / kHostLog).string());
  std::string line;
  for (std::size_t read = 0; read < requests_ && std::getline(in, line); ++read) {
    auto request = parse_host_log_line(line);
    if (!request) return std::move(request).error();
    visit(*request);
  }
  return ok();
}

Result<void> ScenarioFiles::close() {
  bool good = true;
  for (std::ofstream* out : {&receipts_out_, &host_out_, &display_out_}) {
    if (!out->is_open()) continue;
    out->close();
    good = good && !out->fail();
  }
  if (!good) return make_error(Errc::io_error, "cannot write the files of " + dir_.string());
  return ok();
}

}  // namespace tender::app::emu
