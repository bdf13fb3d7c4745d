// Runs an icc::Card behind a real PC/SC stack for a test: pcscd (started here, or the
// system's if one already answers), vsmartcard's vpcd reader driver, a VpcdBridge
// serving the card, and a PcscReader opened on the vpcd slot.
//
//   MyCard card;
//   TENDER_PCSC_FIXTURE_OR_SKIP(pcsc, card);     // in a TEST body or SetUp
//   auto atr = pcsc->reader().power_on();
//
// pcscd started here runs as a child in its own process group (`pcscd --foreground
// --auto-exit`, log in a temporary file) and is stopped with its group at teardown:
// SIGTERM, then SIGKILL after 5 s. PR_SET_PDEATHSIG and --auto-exit stop it even if the
// test process dies. A system pcscd is used as it is and left running.
//
// One pcscd serves the whole machine and vpcd's ports are fixed, so fixtures in
// different processes take turns through an exclusive lock file (/tmp/tender-pcscd.lock)
// held from start to teardown; ctest is also told (RESOURCE_LOCK pcscd) not to run the
// suite's tests at once.
//
// A machine that cannot run pcscd with vpcd (package missing, not root) gives
// Errc::unsupported; the macro skips the test then, except under CI (CI set in the
// environment), where it fails.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "drivers/icc/card.hpp"
#include "drivers/icc/pcsc/pcsc_reader.hpp"
#include "drivers/icc/pcsc/vpcd_bridge.hpp"

namespace tender::test::pcsc {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false" && std::string(ci) != "0";
}

// The machine-wide turn at pcscd and vpcd's ports.
class PcscdLock {
 public:
  static Result<PcscdLock> acquire(std::chrono::milliseconds timeout) {
    // Read-only is enough for flock, and works on a lock file another user created.
    const int fd = ::open("/tmp/tender-pcscd.lock", O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) return make_error(Errc::io_error, "cannot open /tmp/tender-pcscd.lock");
    const auto deadline = Clock::now() + timeout;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (Clock::now() >= deadline) {
        ::close(fd);
        return make_error(Errc::timeout, "another test held the pcscd lock (/tmp/tender-pcscd.lock) too long");
      }
      std::this_thread::sleep_for(50ms);
    }
    return PcscdLock(fd);
  }
  PcscdLock(PcscdLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  PcscdLock& operator=(PcscdLock&&) = delete;
  ~PcscdLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }

 private:
  explicit PcscdLock(int fd) : fd_(fd) {}
  int fd_;
};

// pcscd for the duration of a test: the system's, or a child started here.
class Pcscd {
 public:
  static Result<std::unique_ptr<Pcscd>> ensure(std::chrono::milliseconds timeout) {
    std::unique_ptr<Pcscd> d(new Pcscd);
    if (icc::pcsc::check_service()) return d;  // a system pcscd answers: use it, leave it be
    const std::string binary = find_pcscd();
    if (binary.empty())
      return make_error(Errc::unsupported, "pcscd is not installed (scripts/setup installs pcscd)");
    if (::access("/etc/reader.conf.d/vpcd", R_OK) != 0)
      return make_error(Errc::unsupported, "vpcd is not configured: /etc/reader.conf.d/vpcd missing "
                                           "(scripts/setup installs vsmartcard-vpcd)");
    if (::geteuid() != 0)
      return make_error(Errc::unsupported, "no pcscd running and starting one needs root (it creates /run/pcscd)");
    if (auto started = d->spawn(binary); !started) return std::move(started).error();
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (icc::pcsc::check_service()) return d;
      int status = 0;
      if (::waitpid(d->pid_, &status, WNOHANG) == d->pid_) {
        d->pid_ = -1;
        return make_error(Errc::io_error, "pcscd exited at start; its log:\n" + d->log_tail());
      }
      if (Clock::now() >= deadline)
        return make_error(Errc::timeout, "pcscd did not answer within the deadline; its log:\n" + d->log_tail());
      std::this_thread::sleep_for(20ms);
    }
  }

  ~Pcscd() { stop(); }
  Pcscd(const Pcscd&) = delete;
  Pcscd& operator=(const Pcscd&) = delete;

  [[nodiscard]] bool started_here() const { return pid_ > 0; }

  void stop() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGTERM);  // the whole process group
      if (!reap(5s)) {
        ::kill(-pid_, SIGKILL);
        (void)reap(5s);
      }
      pid_ = -1;
    }
    if (!log_path_.empty()) {
      ::unlink(log_path_.c_str());
      log_path_.clear();
    }
  }

  [[nodiscard]] std::string log_tail() const {
    std::ifstream in(log_path_);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
  }

 private:
  Pcscd() = default;

  static std::string find_pcscd() {
    for (const char* p : {"/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd", "/usr/bin/pcscd"})
      if (::access(p, X_OK) == 0) return p;
    return {};
  }

  Result<void> spawn(const std::string& binary) {
    char log_template[] = "/tmp/tender-pcscd-XXXXXX";
    const int log_fd = ::mkstemp(log_template);
    if (log_fd < 0) return make_error(Errc::io_error, "cannot create a log file for pcscd");
    log_path_ = log_template;
    std::string arg0 = binary, fg = "--foreground", auto_exit = "--auto-exit";
    char* argv[] = {arg0.data(), fg.data(), auto_exit.data(), nullptr};
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
      ::close(log_fd);
      return make_error(Errc::io_error, "fork failed");
    }
    if (pid == 0) {  // child: async-signal-safe calls only
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      const int null_fd = ::open("/dev/null", O_RDONLY);
      if (null_fd >= 0) ::dup2(null_fd, 0);
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
      ::execv(argv[0], argv);
      ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: no window where a kill(-pid) misses
    ::close(log_fd);
    pid_ = pid;
    return ok();
  }

  bool reap(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || (r < 0 && errno == ECHILD)) return true;
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
  }

  pid_t pid_ = -1;
  std::string log_path_;
};

// The name pcscd gives vpcd's slot `slot` ("Virtual PCD 00 00" for the first).
inline bool is_vpcd_reader(const std::string& name, unsigned slot) {
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, " %02X", slot & 0xFFU);
  return name.rfind("Virtual PCD ", 0) == 0 && name.size() > 3 && name.compare(name.size() - 3, 3, suffix) == 0;
}

// Waits for pcscd to list the vpcd reader of `slot`.
inline Result<std::string> wait_for_vpcd_reader(unsigned slot, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string last = "pcscd lists no reader";
  for (;;) {
    if (auto readers = icc::pcsc::list_readers(); readers) {
      for (const auto& r : *readers)
        if (is_vpcd_reader(r, slot)) return r;
      last = "pcscd lists " + std::to_string(readers->size()) + " readers, none of them vpcd";
    } else {
      last = readers.error().message;
    }
    if (Clock::now() >= deadline) return make_error(Errc::timeout, "no vpcd reader: " + last);
    std::this_thread::sleep_for(20ms);
  }
}

struct FixtureOptions {
  unsigned slot = 0;     // vpcd slot: port 35963 + slot
  bool inserted = true;  // the bridge connects at once
  std::chrono::milliseconds startup_timeout{10s};
};

class PcscFixture {
 public:
  static Result<std::unique_ptr<PcscFixture>> start(icc::Card& card, FixtureOptions options = {}) {
    std::unique_ptr<PcscFixture> f(new PcscFixture);
    auto lock = PcscdLock::acquire(60s);
    if (!lock) return std::move(lock).error();
    f->lock_ = std::make_unique<PcscdLock>(std::move(*lock));
    auto daemon = Pcscd::ensure(options.startup_timeout);
    if (!daemon) return std::move(daemon).error();
    f->pcscd_ = std::move(*daemon);
    auto name = wait_for_vpcd_reader(options.slot, options.startup_timeout);
    if (!name) {
      if (!f->pcscd_->started_here())
        return make_error(name.error().code, name.error().message +
                                                 " (a system pcscd is running: was it started before vsmartcard-vpcd "
                                                 "was installed? restart it: service pcscd restart)");
      return make_error(name.error().code, name.error().message + "; pcscd log:\n" + f->pcscd_->log_tail());
    }
    auto reader = icc::pcsc::PcscReader::open(*name);
    if (!reader) return std::move(reader).error();
    f->reader_ = std::move(*reader);
    // A pcscd that outlives fixtures (the system's) may not have polled the slot since the
    // last bridge left: start from a slot it reports empty, or the new card is mistaken
    // for the old one.
    if (auto empty = f->wait_for_slot_empty(options.startup_timeout); !empty) return std::move(empty).error();
    icc::vpcd::BridgeOptions bridge_options;
    bridge_options.port = static_cast<std::uint16_t>(icc::vpcd::kDefaultPort + options.slot);
    bridge_options.inserted = options.inserted;
    auto bridge = icc::vpcd::VpcdBridge::start(card, bridge_options);
    if (!bridge) return std::move(bridge).error();
    f->bridge_ = std::move(*bridge);
    return f;
  }

  // Reader first (disconnects, releases its context), then the bridge, then pcscd.
  ~PcscFixture() {
    reader_.reset();
    bridge_.reset();
    pcscd_.reset();
    lock_.reset();
  }
  PcscFixture(const PcscFixture&) = delete;
  PcscFixture& operator=(const PcscFixture&) = delete;

  icc::pcsc::PcscReader& reader() { return *reader_; }
  icc::vpcd::VpcdBridge& bridge() { return *bridge_; }
  [[nodiscard]] bool started_pcscd() const { return pcscd_ && pcscd_->started_here(); }

  Result<void> wait_for_slot_empty(std::chrono::milliseconds timeout) {
    auto p = reader_->presence();
    if (!p) return std::move(p).error();
    if (*p == icc::Presence::absent) return ok();
    auto changed = reader_->wait_for_change(icc::Presence::present, timeout);
    if (!changed)
      return make_error(changed.error().code, "the vpcd slot stays occupied (another virtual card connected to "
                                              "it?): " + changed.error().message);
    return ok();
  }

  // Until pcscd reports the card (vpcd polls its slot about every 400 ms).
  Result<void> wait_for_card(std::chrono::milliseconds timeout) {
    auto p = reader_->presence();
    if (!p) return std::move(p).error();
    if (*p == icc::Presence::present) return ok();
    auto changed = reader_->wait_for_change(icc::Presence::absent, timeout);
    if (!changed) return std::move(changed).error();
    return ok();
  }

 private:
  PcscFixture() = default;
  std::unique_ptr<PcscdLock> lock_;
  std::unique_ptr<Pcscd> pcscd_;
  std::unique_ptr<icc::vpcd::VpcdBridge> bridge_;
  std::unique_ptr<icc::pcsc::PcscReader> reader_;
};

}  // namespace tender::test::pcsc

// Declares `var` (a std::unique_ptr<PcscFixture>) serving `card`; skips the test when the
// machine cannot run pcscd with vpcd, except under CI, where that fails it.
#define TENDER_PCSC_FIXTURE_OR_SKIP(var, card, ...)                                                \
  auto var##_started = ::tender::test::pcsc::PcscFixture::start(card __VA_OPT__(, ) __VA_ARGS__); \
  if (!var##_started) {                                                                           \
    if (var##_started.error().code == ::tender::Errc::unsupported && !::tender::test::pcsc::in_ci()) \
      GTEST_SKIP() << "PC/SC unavailable: " << var##_started.error().message;                     \
    FAIL() << var##_started.error().describe();                                                   \
  }                                                                                               \
  auto var = std::move(*var##_started)
