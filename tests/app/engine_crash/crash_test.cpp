// Power cuts for real: engine_crash_child runs sales against a tender-hostsim process and is
// killed with SIGKILL right after each journal write (every journaled state of a run), and
// then at 200 random moments. After each cut the child starts again with --recover, and the
// journal must agree with the host: every sale the host holds as charged is one journal row
// that says completed (or forwarded), once; every other row is final and charged nothing.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/config/settings.hpp"
#include "app/journal/journal.hpp"
#include "app/sim/test_device_key.hpp"
#include "net/hostsim/sqlite_store.hpp"

namespace tender::test {
namespace {

namespace fs = std::filesystem;
namespace hs = net::hostsim;
using namespace std::chrono_literals;

struct Process {
  pid_t pid = -1;
  int out = -1;  // the child's stdout
};

Process spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return out;
}

std::string read_line(int fd) {
  std::string line;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

struct Exit {
  bool killed = false;
  int code = -1;
  std::string output;
};

Exit finish(Process p) {
  Exit e;
  e.output = read_all(p.out);
  int status = 0;
  waitpid(p.pid, &status, 0);
  e.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  e.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return e;
}

class EngineCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("tender-crash-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "hostsim");
    host_ = spawn({TENDER_HOSTSIM, "--port", "0", "--state-dir", (root_ / "hostsim").string()});
    const std::string line = read_line(host_.out);
    const auto colon = line.rfind(':');
    ASSERT_NE(colon, std::string::npos) << "tender-hostsim did not start: " << line;
    port_ = line.substr(colon + 1);
  }
  void TearDown() override {
    if (host_.pid > 0) {
      kill(host_.pid, SIGTERM);
      (void)finish(host_);
    }
    fs::remove_all(root_);
  }

  // Every run is a new terminal: its sales get amounts no other run uses (cents .00-.49, never
  // the simulator's magic .51-.58), each run below the ones before: a charged sale of the same
  // card for less at the same moment may be a partial approval of ours (Aurora's recovery
  // holds it), and this test is about power cuts, not lookalikes.
  std::vector<std::string> child_args(const std::string& host, const fs::path& state) {
    const long cents = 500000 - 100 * static_cast<long>(terminals_++ % 4000);
    return {TENDER_CRASH_CHILD, "--state", state.string(), "--port", port_, "--ca", (root_ / "hostsim" / "ca.pem").string(),
            "--host", host, "--sales", "3", "--first-cents", std::to_string(cents)};
  }

  // After recovery: every row final; the host's charged sales are exactly the journal's
  // completed/forwarded rows over all runs so far (a lost or doubled sale breaks it).
  void check_agreement(const fs::path& state, const std::string& host, const std::string& what) {
    auto journal = app::Journal::open(state / "journal.db", app::test_device_key());
    ASSERT_TRUE(journal) << journal.error().describe();
    auto rows = journal->list(0);
    ASSERT_TRUE(rows);
    for (const auto& row : *rows) {
      EXPECT_TRUE(app::is_final(row.state)) << what << ": " << row.reference_id << " left " << app::to_string(row.state);
      if (row.state == app::TxnState::completed || row.state == app::TxnState::forwarded) {
        ASSERT_FALSE(row.host_reference.empty()) << what;
        ++charged_in_journals_[row.host_reference];
      }
    }
    auto store = hs::SqliteStore::open((root_ / "hostsim" / "hostsim.db").string());
    ASSERT_TRUE(store) << store.error().describe();
    auto txns = (*store)->transactions(host == "aurora" ? hs::Api::aurora : hs::Api::fullstack);
    ASSERT_TRUE(txns);
    std::map<std::string, int> charged_at_host;
    for (const auto& t : *txns) {
      const bool charged = t.status == hs::TxnStatus::authorized || t.status == hs::TxnStatus::captured ||
                           t.status == hs::TxnStatus::settled;
      if (t.type == hs::TxnType::sale && charged) ++charged_at_host[t.id];
    }
    for (const auto& [id, n] : charged_in_journals_) {
      EXPECT_EQ(n, 1) << what << ": host transaction " << id << " recorded " << n << " times";
      EXPECT_TRUE(charged_at_host.contains(id)) << what << ": journal says charged, host does not: " << id;
    }
    for (const auto& [id, n] : charged_at_host) {
      EXPECT_TRUE(charged_in_journals_.contains(id)) << what << ": host charged " << id << ", no journal row says so";
    }
  }

  void recover(const std::string& host, const fs::path& state, const std::string& what) {
    auto args = child_args(host, state);
    args.emplace_back("--recover");
    const Exit e = finish(spawn(args));
    ASSERT_EQ(e.code, 0) << what << ": recovery failed\n" << e.output;
    check_agreement(state, host, what);
  }

  void sweep_and_random(const std::string& host, int random_runs) {
    // A clean run: how many journal writes three sales make, and how long they take.
    const fs::path dry = root_ / (host + "-dry");
    fs::create_directories(dry);
    const auto t0 = std::chrono::steady_clock::now();
    const Exit clean = finish(spawn(child_args(host, dry)));
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_EQ(clean.code, 0) << clean.output;
    const long writes = static_cast<long>(std::count(clean.output.begin(), clean.output.end(), 'W'));
    ASSERT_GE(writes, 9);
    check_agreement(dry, host, host + " clean run");

    for (long w = 1; w <= writes; ++w) {
      const fs::path state = root_ / (host + "-cut-" + std::to_string(w));
      fs::create_directories(state);
      auto args = child_args(host, state);
      args.insert(args.end(), {"--kill-at", std::to_string(w)});
      const Exit cut = finish(spawn(args));
      ASSERT_TRUE(cut.killed) << "write " << w << " did not kill the child\n" << cut.output;
      recover(host, state, host + " killed after write " + std::to_string(w));
      if (HasFatalFailure()) return;
    }
    std::mt19937 rng(20261121);
    const auto span_us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
    int killed = 0;
    for (int run = 0; run < random_runs; ++run) {
      const fs::path state = root_ / (host + "-random-" + std::to_string(run));
      fs::create_directories(state);
      Process p = spawn(child_args(host, state));
      std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<std::int64_t>(0, span_us)(rng)));
      kill(p.pid, SIGKILL);
      const Exit e = finish(p);
      if (e.killed) ++killed;
      recover(host, state, host + " random run " + std::to_string(run));
      if (HasFatalFailure()) return;
      fs::remove_all(state);
    }
    EXPECT_GT(killed, random_runs / 2);  // most runs really were cut mid-way
    std::cout << host << ": " << writes << " journaled cut points, " << random_runs << " random cuts (" << killed
              << " mid-run), " << charged_in_journals_.size() << " charged sales agree with the host\n";
  }

  fs::path root_;
  long terminals_ = 0;
  Process host_;
  std::string port_;
  std::map<std::string, int> charged_in_journals_;
};

TEST_F(EngineCrash, AuroraSigkillAtEveryJournaledStateAndRandomPoints) { sweep_and_random("aurora", 200); }

TEST_F(EngineCrash, FullStackSigkillAtEveryJournaledStateAndRandomPoints) { sweep_and_random("fullstack", 40); }

}  // namespace
}  // namespace tender::test
