#include "net/hostsim/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "fixtures.hpp"

namespace tender::net::hostsim {
namespace {

using namespace test;
using Json = nlohmann::json;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("hostsim-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

ServerAction fs(HostSimulator& sim, http::Method m, std::string target, std::string body = {}) {
  auto r = request(m, std::move(target), std::move(body));
  r.set_header("Authorization", "api_tender_test");
  return sim.handle(r);
}

TEST_F(SqliteStoreTest, StateSurvivesARestart) {
  ManualClock clock{utc(2017, 10, 19, 20, 15, 19)};
  const std::string db = (dir / "hostsim.db").string();
  std::string sale, auth, batch;
  {
    auto store = SqliteStore::open(db);
    ASSERT_TRUE(store) << store.error().message;
    HostSimulator sim(HostSimConfig{}, clock, store->get());
    ASSERT_TRUE(sim.restore());
    sale = body_of(fs(sim, http::Method::post, "/api/transaction", std::string(kFullStackCard)))["data"]["id"];
    Json body = Json::parse(kFullStackCard);
    body["type"] = "authorize";
    auth = body_of(fs(sim, http::Method::post, "/api/transaction", body.dump()))["data"]["id"];
    batch = body_of(fs(sim, http::Method::post, "/api/terminal/1ucio551tlv85l7moe5s/settle"))["data"]["id"];
  }
  auto store = SqliteStore::open(db);
  ASSERT_TRUE(store);
  HostSimulator sim(HostSimConfig{}, clock, store->get());
  ASSERT_TRUE(sim.restore());
  EXPECT_EQ(body_of(fs(sim, http::Method::get, "/api/transaction/" + sale))["data"][0]["status"], "settled");
  EXPECT_EQ(body_of(fs(sim, http::Method::get, "/api/transaction/" + auth))["data"][0]["status"], "authorized");
  // The lifecycle continues after the restart, and new ids do not collide with old ones.
  EXPECT_EQ(fs(sim, http::Method::post, "/api/transaction/" + sale + "/refund", R"({"amount": 112})").response.status, 200);
  EXPECT_EQ(fs(sim, http::Method::post, "/api/transaction/" + auth + "/capture").response.status, 200);
  const Json all = body_of(fs(sim, http::Method::post, "/api/transaction/search", "{}"));
  EXPECT_EQ(all["total_count"], 3);
  const Json batches = body_of(fs(sim, http::Method::post, "/api/settlement/batch/search", "{}"));
  ASSERT_EQ(batches["total_count"], 1);
  EXPECT_EQ(batches["data"][0]["id"], batch);
}

TEST_F(SqliteStoreTest, NoClearCardNumberOnDisk) {
  ManualClock clock{utc(2017, 10, 19, 20, 15, 19)};
  const std::string db = (dir / "hostsim.db").string();
  {
    auto store = SqliteStore::open(db);
    ASSERT_TRUE(store);
    HostSimulator sim(HostSimConfig{}, clock, store->get());
    fs(sim, http::Method::post, "/api/transaction", std::string(kFullStackCard));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::FILE* f = std::fopen(entry.path().c_str(), "rb");
    ASSERT_NE(f, nullptr);
    std::string content;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) content.append(buf, n);
    std::fclose(f);
    EXPECT_EQ(content.find("4012000098765439"), std::string::npos) << entry.path();
  }
}

TEST_F(SqliteStoreTest, UnopenablePathIsAnError) {
  EXPECT_FALSE(SqliteStore::open((dir / "missing" / "x.db").string()));
}

}  // namespace
}  // namespace tender::net::hostsim
