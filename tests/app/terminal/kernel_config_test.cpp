// The kernel's configuration as tender loads it (load_settings, then load_kernel_config):
// the files' fields reach the kernel, a terminal with a chip reader needs its AID list, and
// offline data authentication passes on virtual cards certified by a CA key that exists
// only in this test and in the files it writes (SDA, DDA, CDA), while the built-in test
// key set does not authenticate them.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/config/settings.hpp"
#include "app/sim/simulated_issuer.hpp"
#include "app/sim/test_terminal.hpp"
#include "app/terminal/kernel_config.hpp"
#include "common/crypto/rsa.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "drivers/icc/sim/virtual_card.hpp"
#include "emv/kernel.hpp"
#include "emv/tvr.hpp"
#include "tests/rsa_check.hpp"

namespace tender::app {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

fs::path data_file(const std::string& name) { return fs::path(TENDER_TEST_SOURCE_DIR) / ".." / "data" / "emv" / name; }

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// A directory of the test's own, removed at the end.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("tender_kernel_config_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The terminal's configuration file; `emv` and `devices` as given (null: left out).
Json config_json(const Json& emv, const Json& devices) {
  Json j = Json::parse(R"({
    "terminal_id": "TERM0042",
    "merchant": {"name": "TENDER TEST STORE", "merchant_id": "MID000000000042"},
    "currency": "USD",
    "state_dir": ".",
    "device_key": "test",
    "host": {"kind": "aurora", "url": "https://127.0.0.1:8443", "ca_file": "ca.pem",
             "aurora": {"client_id": "tender-test", "client_secret": "tender-test-secret",
                        "payment_processor_id": "proc-1"}}
  })");
  if (!emv.is_null()) j["emv"] = emv;
  if (!devices.is_null()) j["devices"] = devices;
  return j;
}

const Json kChipReader = {{"card_reader", {{"pcsc", ""}}}};

// Writes the configuration into `dir` and loads it as tender does.
Result<emv::TerminalConfig> load(const TempDir& dir, const Json& emv, const Json& devices) {
  write(dir.path() / "tender.json", config_json(emv, devices).dump(2));
  auto settings = load_settings(dir.path() / "tender.json");
  if (!settings) return std::move(settings).error();
  return load_kernel_config(*settings);
}

TEST(KernelConfig, FromTheFilesWithTheTerminalsIdentity) {
  TempDir dir;
  write(dir.path() / "terminal.json", read(data_file("terminal.sample.json")));
  write(dir.path() / "capk.json", read(data_file("capk-production.json")));
  auto config = load(dir, {{"terminal_file", "terminal.json"}, {"capk_file", "capk.json"}}, kChipReader);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->aids.size(), 4u);
  EXPECT_EQ(config->capks.size(), 6u);
  EXPECT_EQ(config->terminal_id, "TERM0042");
  EXPECT_EQ(config->merchant_id, "MID000000000042");
  EXPECT_EQ(config->currency, usd());
  EXPECT_EQ(config->terminal_type, 0x22);
}

TEST(KernelConfig, AChipReaderWithoutAnAidListIsRefused) {
  TempDir dir;
  auto refused = load(dir, nullptr, kChipReader);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_EQ(refused.error().message.rfind("emv.terminal_file: missing", 0), 0u) << refused.error().message;
  // CA keys alone do not make an AID list either.
  write(dir.path() / "capk.json", read(data_file("capk-test.json")));
  EXPECT_FALSE(load(dir, {{"capk_file", "capk.json"}}, kChipReader));
}

TEST(KernelConfig, NoChipReaderNeedsNoAidList) {
  TempDir dir;
  auto config = load(dir, nullptr, nullptr);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->aids.empty());
  EXPECT_TRUE(config->capks.empty()) << "no CA key unless configured";
  EXPECT_EQ(config->terminal_id, "TERM0042");
}

TEST(KernelConfig, ErrorsNameTheFieldAndTheFile) {
  TempDir dir;
  auto missing = load(dir, {{"terminal_file", "nowhere.json"}}, kChipReader);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_EQ(missing.error().message.rfind("emv.terminal_file ", 0), 0u) << missing.error().message;
  EXPECT_NE(missing.error().message.find("nowhere.json"), std::string::npos);

  Json terminal = Json::parse(read(data_file("terminal.sample.json")));
  terminal["aids"][1]["tac_online"] = "DC40";
  write(dir.path() / "terminal.json", terminal.dump());
  auto bad_tac = load(dir, {{"terminal_file", "terminal.json"}}, kChipReader);
  ASSERT_FALSE(bad_tac);
  EXPECT_EQ(bad_tac.error().code, Errc::malformed);
  EXPECT_EQ(bad_tac.error().message.rfind("emv.terminal_file: aids[1].tac_online: ", 0), 0u)
      << bad_tac.error().message;

  // The terminal file's currency is the configuration's.
  terminal = Json::parse(read(data_file("terminal.sample.json")));
  terminal["currency"] = "EUR";
  write(dir.path() / "terminal.json", terminal.dump());
  auto euro = load(dir, {{"terminal_file", "terminal.json"}}, kChipReader);
  ASSERT_FALSE(euro);
  EXPECT_EQ(euro.error().message.rfind("emv.terminal_file: currency: ", 0), 0u) << euro.error().message;

  Json capks = Json::parse(read(data_file("capk-production.json")));
  capks["capks"][2]["checksum"] = "0000000000000000000000000000000000000000";
  write(dir.path() / "terminal.json", read(data_file("terminal.sample.json")));
  write(dir.path() / "capk.json", capks.dump());
  auto bad_key = load(dir, {{"terminal_file", "terminal.json"}, {"capk_file", "capk.json"}}, kChipReader);
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().code, Errc::checksum);
  EXPECT_EQ(bad_key.error().message.rfind("emv.capk_file: capks[2]: ", 0), 0u) << bad_key.error().message;
}

TEST(KernelConfig, UnknownEmvKeyIsRefused) {
  TempDir dir;
  auto typo = load(dir, {{"terminal_files", "terminal.json"}}, nullptr);
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("emv.terminal_files: unknown key"), std::string::npos) << typo.error().message;
}

// --- offline data authentication under a CA key from the files ------------------------

// A 1152-bit CA key (the issuer keys of the test PKI are 1152 bits: Book 2 wants the
// issuer key no longer than the CA's), from a fixed stream: the test is repeatable.
icc::sim::PkiKey make_ca(const crypto::RsaKeyParts& parts, std::string name, std::string_view rid, Byte index) {
  icc::sim::PkiKey ca;
  ca.name = std::move(name);
  ca.role = icc::sim::PkiRole::ca;
  ca.rid = from_hex(rid).value();
  ca.index = index;
  ca.description = "the kernel_config test's own CA";
  ca.key.modulus = parts.modulus;
  ca.key.exponent = parts.exponent;
  ca.key.d = parts.d;
  ca.key.p = parts.p;
  ca.key.q = parts.q;
  ca.key.dp = parts.dp;
  ca.key.dq = parts.dq;
  ca.key.qinv = parts.qinv;
  return ca;
}

constexpr Byte kCaIndex = 0x5E;  // neither the test set's E1/E2 nor a production index

struct FilesPki {
  icc::sim::TestPki pki;
  std::string capk_json;  // the CA's public halves, as a terminal's capk_file
};

// One new RSA key, certified as the CA of both test RIDs, added to the test PKI's issuer
// and card keys.
const FilesPki& files_pki() {
  static const FilesPki made = [] {
    FilesPki out;
    std::uint32_t counter = 0;
    auto parts = crypto::rsa_generate(
        1152, 3,
        [&counter](std::span<Byte> seed) {
          for (Byte& b : seed) b = static_cast<Byte>(counter++ * 131u + 7u);
          return true;
        },
        as_bytes("tender kernel_config test CA"));
    EXPECT_TRUE(parts) << (parts ? "" : parts.error().message);
    if (!parts) return out;
    auto builtin = icc::sim::builtin_pki();
    EXPECT_TRUE(builtin);
    if (!builtin) return out;
    out.pki = **builtin;
    Json capks = {{"capks", Json::array()}};
    for (std::string_view rid : {"A000000003", "A000000004"}) {
      auto added = out.pki.add(make_ca(*parts, "files_ca_" + std::string(rid), rid, kCaIndex));
      EXPECT_TRUE(added) << (added ? "" : added.error().message);
      const Bytes rid_bytes = from_hex(rid).value();
      const Byte index[1] = {kCaIndex};
      const Bytes checksum =
          tender::test::sha1_reference(tender::test::concat({rid_bytes, index, parts->modulus, parts->exponent}));
      capks["capks"].push_back({{"rid", std::string(rid)}, {"index", "5E"}, {"modulus", to_hex(parts->modulus)},
                                {"exponent", to_hex(parts->exponent)}, {"checksum", to_hex(checksum)},
                                {"expiry", "301231"}});
    }
    out.capk_json = capks.dump(2);
    return out;
  }();
  return made;
}

// A built-in card's profile, certified by the files' CA instead of the test set's.
icc::sim::CardProfile recertified(std::string_view card) {
  auto profile = icc::sim::builtin_profile(card);
  EXPECT_TRUE(profile) << card;
  if (!profile) return {};
  for (auto& app : profile->applications) {
    const std::string rid = to_hex(ByteView{app.aid}.first(5));
    app.oda.ca_key = "files_ca_" + rid;
  }
  return std::move(*profile);
}

emv::KernelResult run_card(const icc::sim::CardProfile& profile, const emv::TerminalConfig& config) {
  auto card = icc::sim::VirtualCard::create(profile, files_pki().pki);
  EXPECT_TRUE(card) << (card ? "" : card.error().message);
  if (!card) return {};
  icc::SimReader reader;
  reader.insert(&*card);
  auto ped = test_pin_pad(std::nullopt);
  EXPECT_TRUE(ped);
  if (!ped) return {};
  UnattendedUi ui;
  CountingRandom random;
  emv::TransactionInput input;
  input.amount = Money{1234, usd()};
  input.date = {0x26, 0x11, 0x21};
  input.time = {0x10, 0x00, 0x00};
  input.sequence_counter = 1;
  emv::Kernel kernel(reader, *ped, config, ui, random);
  const OnlineResponder approve = [&](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    auto answer = answer_online_request(&profile, request, IssuerDecision::approve);
    if (!answer) return std::move(answer).error();
    return std::optional<emv::OnlineResponse>{std::move(answer->response)};
  };
  auto result = run_chip_transaction(kernel, input, approve);
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return result ? std::move(*result) : emv::KernelResult{};
}

struct OdaCase {
  std::string_view card;
  emv::TvrBit failed_bit;  // what the method sets when it fails
};

void PrintTo(const OdaCase& c, std::ostream* os) { *os << c.card; }

class OdaFromFiles : public ::testing::TestWithParam<OdaCase> {};

TEST_P(OdaFromFiles, PassesUnderTheConfiguredCaOnly) {
  const OdaCase& c = GetParam();
  TempDir dir;
  write(dir.path() / "terminal.json", read(data_file("terminal.sample.json")));
  write(dir.path() / "capk.json", files_pki().capk_json);
  auto config = load(dir, {{"terminal_file", "terminal.json"}, {"capk_file", "capk.json"}}, kChipReader);
  ASSERT_TRUE(config) << config.error().message;
  const icc::sim::CardProfile profile = recertified(c.card);

  const emv::KernelResult passed = run_card(profile, *config);
  const emv::Tvr tvr{passed.tvr};
  EXPECT_FALSE(tvr.test(emv::TvrBit::offline_data_authentication_not_performed)) << to_hex(passed.tvr);
  EXPECT_FALSE(tvr.test(emv::TvrBit::sda_failed)) << to_hex(passed.tvr);
  EXPECT_FALSE(tvr.test(emv::TvrBit::dda_failed)) << to_hex(passed.tvr);
  EXPECT_FALSE(tvr.test(emv::TvrBit::cda_failed)) << to_hex(passed.tvr);
  EXPECT_TRUE(emv::Tsi{passed.tsi}.test(emv::TsiBit::offline_data_authentication_performed)) << to_hex(passed.tsi);
  EXPECT_EQ(emv::name(passed.outcome), emv::name(emv::Outcome::approved_online)) << passed.termination_reason;

  // The built-in test set has no key 5E: the same card fails its authentication there.
  auto builtin = builtin_test_terminal();
  ASSERT_TRUE(builtin);
  const emv::KernelResult failed = run_card(profile, *builtin);
  EXPECT_TRUE(emv::Tvr{failed.tvr}.test(c.failed_bit)) << to_hex(failed.tvr);
  EXPECT_TRUE(emv::Tsi{failed.tsi}.test(emv::TsiBit::offline_data_authentication_performed)) << to_hex(failed.tsi);
}

std::string oda_case_name(const ::testing::TestParamInfo<OdaCase>& param_info) {
  return std::string(param_info.param.card);
}

INSTANTIATE_TEST_SUITE_P(Methods, OdaFromFiles,
                         ::testing::Values(OdaCase{"visa_sda", emv::TvrBit::sda_failed},
                                           OdaCase{"visa_dda", emv::TvrBit::dda_failed},
                                           OdaCase{"mc_cda", emv::TvrBit::cda_failed}),
                         oda_case_name);

}  // namespace
}  // namespace tender::app
