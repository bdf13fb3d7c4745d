// The ncurses front end on a pseudo-terminal this test owns: what it draws is read back from
// the pty's master side, keys are typed into it. The full emulator in tmux is tested elsewhere.
#include "ui/curses_display.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace tender::ui {
namespace {

using namespace std::chrono_literals;

// Holds an environment variable's value and puts it back.
class EnvGuard {
 public:
  explicit EnvGuard(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) old_ = v;
  }
  ~EnvGuard() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class Pty {
 public:
  Pty(unsigned short rows, unsigned short cols) {
    winsize size{};
    size.ws_row = rows;
    size.ws_col = cols;
    if (openpty(&master_, &slave_, nullptr, nullptr, &size) != 0) {
      master_ = slave_ = -1;
      return;
    }
    fcntl(master_, F_SETFL, fcntl(master_, F_GETFL) | O_NONBLOCK);
  }
  ~Pty() {
    if (master_ >= 0) close(master_);
    if (slave_ >= 0) close(slave_);
  }
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;

  [[nodiscard]] bool ok() const { return master_ >= 0; }
  [[nodiscard]] int slave() const { return slave_; }

  // Everything written since the last drain: reads until the terminal has been quiet a while.
  std::string drain() {
    std::string got;
    char buf[4096];
    pollfd p{master_, POLLIN, 0};
    while (poll(&p, 1, 100) > 0) {
      const ssize_t n = read(master_, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }

  void type(std::string_view keys) { ASSERT_EQ(write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size())); }

 private:
  int master_ = -1;
  int slave_ = -1;
};

CursesOptions on(const Pty& pty, DisplaySize size = DisplaySize::lines4x20) {
  CursesOptions options;
  options.size = size;
  options.input_fd = pty.slave();
  options.output_fd = pty.slave();
  options.term = "vt100";  // no repeat-character or erase-character shortcuts: text arrives as text
  return options;
}

class CursesDisplayTest : public ::testing::Test {
 protected:
  // The size must come from the pty, not from a LINES/COLUMNS the runner happened to export.
  EnvGuard lines_{"LINES"};
  EnvGuard columns_{"COLUMNS"};
  void SetUp() override {
    unsetenv("LINES");
    unsetenv("COLUMNS");
  }
};

TEST_F(CursesDisplayTest, NoTermIsATypedError) {
  EnvGuard term("TERM");
  unsetenv("TERM");
  auto display = CursesDisplay::open();
  ASSERT_FALSE(display);
  EXPECT_EQ(display.error().code, Errc::unsupported);
  EXPECT_NE(display.error().message.find("TERM"), std::string::npos);
}

TEST_F(CursesDisplayTest, NotATerminalIsATypedError) {
  const int null_fd = ::open("/dev/null", O_RDWR);
  ASSERT_GE(null_fd, 0);
  CursesOptions options;
  options.input_fd = null_fd;
  options.output_fd = null_fd;
  options.term = "vt100";
  auto display = CursesDisplay::open(options);
  close(null_fd);
  ASSERT_FALSE(display);
  EXPECT_EQ(display.error().code, Errc::unsupported);
}

TEST_F(CursesDisplayTest, UnknownTerminalTypeIsATypedError) {
  Pty pty(24, 80);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  CursesOptions options = on(pty);
  options.term = "no-such-terminal-type";
  auto display = CursesDisplay::open(options);
  ASSERT_FALSE(display);
  EXPECT_EQ(display.error().code, Errc::unsupported);
  EXPECT_NE(display.error().message.find("terminfo"), std::string::npos) << display.error().message;
  options.term = "dumb";  // in terminfo, but cannot place the cursor
  display = CursesDisplay::open(options);
  ASSERT_FALSE(display);
  EXPECT_EQ(display.error().code, Errc::unsupported);
  // The failed attempts left nothing open behind them.
  options.term = "vt100";
  EXPECT_TRUE(CursesDisplay::open(options));
  pty.drain();
}

TEST_F(CursesDisplayTest, DrawsScreensAndPanels) {
  Pty pty(24, 80);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  auto display = CursesDisplay::open(on(pty));
  ASSERT_TRUE(display) << display.error().describe();
  EXPECT_TRUE((*display)->fits());
  EXPECT_NE(pty.drain().find("TENDER"), std::string::npos);

  (*display)->show(ScreenData{.id = ScreenId::present_card, .amount = "$12.34"});
  const std::string drawn = pty.drain();
  EXPECT_NE(drawn.find("$12.34"), std::string::npos);
  EXPECT_NE(drawn.find("INSERT, SWIPE"), std::string::npos);

  (*display)->panel("Keys", keypad_help());
  EXPECT_NE(pty.drain().find("DIGITS"), std::string::npos);
  (*display)->panel("Receipt", {"SALE", "VISA ************1111"});
  EXPECT_NE(pty.drain().find("Receipt"), std::string::npos);
  (*display)->panel("Keys", {});
  pty.drain();
}

TEST_F(CursesDisplayTest, QvgaFitsAnEightyByTwentyFourTerminal) {
  Pty pty(24, 80);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  auto display = CursesDisplay::open(on(pty, DisplaySize::qvga));
  ASSERT_TRUE(display) << display.error().describe();
  EXPECT_TRUE((*display)->fits());
  (*display)->show(ScreenData{.id = ScreenId::enter_pin, .amount = "$7.00", .pin_digits = 3});
  EXPECT_NE(pty.drain().find("ENTER PIN"), std::string::npos);
}

TEST_F(CursesDisplayTest, TooSmallTerminalSaysSo) {
  Pty pty(5, 19);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  auto display = CursesDisplay::open(on(pty));
  ASSERT_TRUE(display) << display.error().describe();
  EXPECT_FALSE((*display)->fits());
  (*display)->show(ScreenData{.id = ScreenId::approved});
  (*display)->panel("Keys", keypad_help());
  const std::string drawn = pty.drain();
  EXPECT_NE(drawn.find("TERMINAL TOO SMA"), std::string::npos);
}

TEST_F(CursesDisplayTest, ReadsKeys) {
  Pty pty(24, 80);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  auto display = CursesDisplay::open(on(pty));
  ASSERT_TRUE(display) << display.error().describe();
  pty.drain();
  auto& keypad = **display;

  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(keypad.read_key(50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 40ms);

  pty.type("7");
  EXPECT_EQ(keypad.read_key(1s), Key::digit7);
  pty.type("q\r");  // q means nothing: skipped
  EXPECT_EQ(keypad.read_key(1s), Key::enter);
  pty.type("c");
  EXPECT_EQ(keypad.read_key(1s), Key::cancel);
  pty.type("\x1bOP");  // vt100 PF1
  EXPECT_EQ(keypad.read_key(1s), Key::f1);
  pty.type("\x1bOA");  // up arrow in keypad mode
  EXPECT_EQ(keypad.read_key(1s), Key::up);
  pty.type("\x1b");  // Esc alone: CANCEL after the short escape delay
  EXPECT_EQ(keypad.read_key(1s), Key::cancel);
  EXPECT_FALSE(keypad.read_key(0ms));
}

TEST_F(CursesDisplayTest, ClosingRestoresTheTerminalModes) {
  Pty pty(24, 80);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  termios before{};
  ASSERT_EQ(tcgetattr(pty.slave(), &before), 0);
  ASSERT_TRUE(before.c_lflag & ECHO);
  {
    auto display = CursesDisplay::open(on(pty));
    ASSERT_TRUE(display) << display.error().describe();
    termios during{};
    ASSERT_EQ(tcgetattr(pty.slave(), &during), 0);
    EXPECT_FALSE(during.c_lflag & ECHO);    // noecho: a typed key must not print itself
    EXPECT_FALSE(during.c_lflag & ICANON);  // cbreak: keys arrive one at a time
    pty.drain();
  }
  termios after{};
  ASSERT_EQ(tcgetattr(pty.slave(), &after), 0);
  EXPECT_EQ(after.c_lflag & (ECHO | ICANON), before.c_lflag & (ECHO | ICANON));
  pty.drain();
}

TEST_F(CursesDisplayTest, OnlyOneAtATime) {
  Pty pty(24, 80);
  if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminals here";
  {
    auto first = CursesDisplay::open(on(pty));
    ASSERT_TRUE(first) << first.error().describe();
    auto second = CursesDisplay::open(on(pty));
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, Errc::invalid_argument);
    pty.drain();
  }
  auto again = CursesDisplay::open(on(pty));
  EXPECT_TRUE(again);
  pty.drain();
}

}  // namespace
}  // namespace tender::ui
