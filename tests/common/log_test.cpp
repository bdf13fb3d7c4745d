#include "common/log.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/pan.hpp"
#include "common/secret.hpp"

namespace tender::log {
namespace {

class CaptureSink final : public Sink {
 public:
  void write(Level, std::string_view component, std::string_view line) override {
    lines.emplace_back(std::string(component) + ": " + std::string(line));
  }
  std::vector<std::string> lines;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_sink(&sink);
    set_level(Level::debug);
  }
  void TearDown() override {
    set_sink(nullptr);
    set_level(Level::info);
  }
  // No run of 7 or more consecutive digits of a test PAN may survive: first 6
  // and last 4 are allowed, nothing that joins them.
  static void expect_no_pan(const std::string& line, std::string_view pan) {
    for (std::size_t i = 0; i + 7 <= pan.size(); ++i)
      EXPECT_EQ(line.find(pan.substr(i, 7)), std::string::npos) << "leaked digits at " << i;
  }
  CaptureSink sink;
};

constexpr std::string_view kPans[] = {"4111111111111111", "5413330089010434", "4761739001010010",
                                      "371449635398431", "6011000990139424", "4012345678909",
                                      "4000056655665556123"};

TEST_F(LogTest, MasksBarePans) {
  for (auto pan : kPans) {
    info("test", "card ", pan, " approved");
    expect_no_pan(sink.lines.back(), pan);
    EXPECT_NE(sink.lines.back().find(mask_pan(pan)), std::string::npos);
  }
}

TEST_F(LogTest, MasksPansWithSeparators) {
  info("test", "pan 4111 1111 1111 1111 and 5413-3300-8901-0434.");
  const auto& line = sink.lines.back();
  EXPECT_EQ(line.find("1111 1111 1111"), std::string::npos);
  EXPECT_EQ(line.find("3300-8901"), std::string::npos);
  EXPECT_NE(line.find("411111******1111"), std::string::npos);
}

TEST_F(LogTest, DropsTrackData) {
  const std::string tracks[] = {
      "%B4111111111111111^TEST/CARD^2512101000000000000?",
      "B4111111111111111^TEST/CARD^2512101000000000000",
      ";4111111111111111=25121010000000000000?",
      "4111111111111111=25121010000000000000",
      "4761739001010010D22122011143804400000F",
  };
  for (const auto& t : tracks) {
    warn("msr", "swipe: ", t, " end");
    const auto& line = sink.lines.back();
    EXPECT_NE(line.find("[track data redacted]"), std::string::npos) << line;
    EXPECT_EQ(line.find("2512101"), std::string::npos) << line;
    EXPECT_EQ(line.find("TEST/CARD"), std::string::npos) << line;
    EXPECT_EQ(line.find("2212201"), std::string::npos) << line;
    EXPECT_NE(line.find(" end"), std::string::npos) << "scrubbing ate the rest of the line";
  }
}

TEST_F(LogTest, SecretsPrintRedacted) {
  const SecretString pin{"1234"};
  const SecretBytes key{Bytes{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}};
  info("pinpad", "pin=", pin, " key=", key);
  EXPECT_EQ(sink.lines.back(), "pinpad: pin=*** key=***");
}

TEST_F(LogTest, LeavesOrdinaryTextAlone) {
  info("host", "amount 12.34 USD, stan 000123, 11 digits 12345678901, 2026-11-21T10:00:00Z");
  EXPECT_EQ(sink.lines.back(),
            "host: amount 12.34 USD, stan 000123, 11 digits 12345678901, 2026-11-21T10:00:00Z");
}

TEST_F(LogTest, LevelFilters) {
  set_level(Level::warn);
  info("x", "hidden");
  error("x", "shown");
  ASSERT_EQ(sink.lines.size(), 1U);
  EXPECT_EQ(sink.lines[0], "x: shown");
}

// A randomised attempt: PANs embedded at random places in random text never survive.
TEST_F(LogTest, RandomEmbeddingsNeverLeak) {
  std::mt19937 rng(20261121);
  const std::string filler = "abc XYZ,.:;()[]{}/\\|_=+*&%$#@! \t";
  for (int round = 0; round < 2000; ++round) {
    const auto pan = kPans[rng() % std::size(kPans)];
    std::string text;
    for (int k = 0; k < static_cast<int>(rng() % 20); ++k) text += filler[rng() % filler.size()];
    text += pan;
    for (int k = 0; k < static_cast<int>(rng() % 20); ++k) text += filler[rng() % filler.size()];
    info("fuzz", text);
    expect_no_pan(sink.lines.back(), pan);
  }
}

}  // namespace
}  // namespace tender::log

// Under systemd, stderr is the journal stream named by JOURNAL_STREAM: lines carry syslog
// priority prefixes. Run in children: the check is made once per process.
namespace {

std::string stderr_of_child(bool journal_stream, bool stream_is_stderr) {
  char path[] = "/tmp/tender-log-journal-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return "mkstemp failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, STDERR_FILENO);
    struct stat st{};
    ::fstat(stream_is_stderr ? fd : STDIN_FILENO, &st);
    if (journal_stream) {
      const std::string value = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
      ::setenv("JOURNAL_STREAM", value.c_str(), 1);
    } else {
      ::unsetenv("JOURNAL_STREAM");
    }
    tender::log::set_level(tender::log::Level::debug);
    tender::log::error("comp", "e");
    tender::log::warn("comp", "w");
    tender::log::info("comp", "i");
    tender::log::debug("comp", "d");
    std::fflush(stderr);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::string out;
  char buf[256];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  ::unlink(path);
  return out;
}

}  // namespace

TEST(LogJournal, SyslogPrefixesOnlyWhenStderrIsTheJournalStream) {
  EXPECT_EQ(stderr_of_child(true, true), "<3>comp: e\n<4>comp: w\n<6>comp: i\n<7>comp: d\n");
  EXPECT_EQ(stderr_of_child(false, true), "[error] comp: e\n[warn] comp: w\n[info] comp: i\n[debug] comp: d\n");
  // A child whose stderr was redirected elsewhere still inherits the variable: no prefixes.
  EXPECT_EQ(stderr_of_child(true, false), "[error] comp: e\n[warn] comp: w\n[info] comp: i\n[debug] comp: d\n");
}
