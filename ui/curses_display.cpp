#include "ui/curses_display.hpp"

#include "ui/terminfo_probe.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <utility>

// Last, and with its function-like macros off: ncurses' move() and clear() macros would
// otherwise rewrite std::move and friends in anything included after it.
#define NCURSES_NOMACROS
#include <curses.h>

namespace tender::ui {
namespace {

std::atomic<bool> g_open{false};  // ncurses has one current SCREEN per process

constexpr int kPanelMinWidth = 20;
constexpr int kEscDelayMs = 25;  // Esc is CANCEL: do not wait ncurses' default second for a sequence

struct SpecialKey {
  int code;
  Key key;
};
const std::array<SpecialKey, 9> kSpecialKeys{{
    {KEY_ENTER, Key::enter},
    {KEY_BACKSPACE, Key::backspace},
    {KEY_DC, Key::clear},
    {KEY_F(1), Key::f1},
    {KEY_F(2), Key::f2},
    {KEY_F(3), Key::f3},
    {KEY_F(4), Key::f4},
    {KEY_UP, Key::up},
    {KEY_DOWN, Key::down},
}};

std::optional<Key> key_from_curses(int ch) {
  for (const auto& special : kSpecialKeys) {
    if (special.code == ch) return special.key;
  }
  return key_from_char(ch);
}

// Panels carry text from outside ui (receipts); a control byte there would move the cursor.
std::string printable(std::string_view raw, std::size_t width) {
  std::string out;
  for (const char ch : raw) {
    if (out.size() == width) break;
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation: its lead byte already became '?'
    out.push_back(c >= 0x20 && c < 0x7F ? ch : (c >= 0x80 ? '?' : ' '));
  }
  return out;
}

void put(int y, int x, std::string_view text, int width) {
  if (width <= 0) return;
  const std::string line = printable(text, static_cast<std::size_t>(width));
  mvaddnstr(y, x, line.c_str(), static_cast<int>(line.size()));
}

void frame(int y, int x, int height, int width, std::string_view title) {
  mvaddch(y, x, ACS_ULCORNER);
  mvaddch(y, x + width - 1, ACS_URCORNER);
  mvaddch(y + height - 1, x, ACS_LLCORNER);
  mvaddch(y + height - 1, x + width - 1, ACS_LRCORNER);
  mvhline(y, x + 1, ACS_HLINE, width - 2);
  mvhline(y + height - 1, x + 1, ACS_HLINE, width - 2);
  mvvline(y + 1, x, ACS_VLINE, height - 2);
  mvvline(y + 1, x + width - 1, ACS_VLINE, height - 2);
  if (!title.empty() && width > 6) put(y, x + 2, " " + std::string(title) + " ", width - 4);
}

}  // namespace

struct CursesDisplay::Impl {
  CursesOptions options;
  FILE* in = nullptr;
  FILE* out = nullptr;
  SCREEN* screen = nullptr;
  std::vector<std::string> rows;
  std::vector<std::pair<std::string, std::vector<std::string>>> panels;
  bool fits = true;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (screen != nullptr) {
      endwin();
      delscreen(screen);
    }
    if (in != nullptr) std::fclose(in);
    if (out != nullptr) std::fclose(out);
    g_open = false;
  }

  void redraw();
  void draw_panels(int y, int x, int height, int width);
};

void CursesDisplay::Impl::redraw() {
  erase();
  const int height = getmaxy(stdscr);
  const int width = getmaxx(stdscr);
  const auto [rows_n, cols_n] = geometry(options.size);
  const int box_h = rows_n + 2;
  const int box_w = cols_n + 2;
  fits = height >= box_h && width >= box_w;
  if (!fits) {
    put(0, 0, "TERMINAL TOO SMALL", width);
    put(1, 0, "NEED " + std::to_string(box_w) + "x" + std::to_string(box_h), width);
    refresh();
    return;
  }
  frame(0, 0, box_h, box_w, options.title);
  attr_on(A_BOLD, nullptr);
  for (std::size_t r = 0; r < rows.size(); ++r) put(1 + static_cast<int>(r), 1, rows[r], cols_n);
  attr_off(A_BOLD, nullptr);

  if (width - box_w - 1 >= kPanelMinWidth) {
    draw_panels(0, box_w + 1, height, width - box_w - 1);
  } else {
    draw_panels(box_h, 0, height - box_h, width);
  }
  refresh();
}

void CursesDisplay::Impl::draw_panels(int y, int x, int height, int width) {
  if (width < 4) return;
  const int bottom = y + height;
  for (const auto& [title, lines] : panels) {
    const int room = bottom - y;
    if (room < 3) return;
    const int wanted = static_cast<int>(std::min<std::size_t>(lines.size(), INT_MAX - 2)) + 2;
    const int panel_h = std::min(wanted, room);
    frame(y, x, panel_h, width, title);
    const int shown = panel_h - 2;
    for (int i = 0; i < shown; ++i) {
      const bool cut_here = i == shown - 1 && shown < wanted - 2;
      put(y + 1 + i, x + 1, cut_here ? std::string_view{"..."} : std::string_view{lines[static_cast<std::size_t>(i)]}, width - 2);
    }
    y += panel_h;
  }
}

CursesDisplay::CursesDisplay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CursesDisplay::~CursesDisplay() = default;

Result<std::unique_ptr<CursesDisplay>> CursesDisplay::open(CursesOptions options) {
  if (g_open.exchange(true)) {
    return make_error(Errc::invalid_argument, "a curses display is already open in this process");
  }
  auto impl = std::make_unique<Impl>();  // from here on its destructor releases g_open
  impl->options = std::move(options);
  const CursesOptions& opts = impl->options;

  std::string term = opts.term;
  if (term.empty()) {
    const char* env = std::getenv("TERM");
    term = env != nullptr ? env : "";
  }
  if (term.empty()) return make_error(Errc::unsupported, "TERM is not set: no terminal to draw on");
  if (isatty(opts.input_fd) == 0 || isatty(opts.output_fd) == 0) {
    return make_error(Errc::unsupported, "the display needs a terminal, and its input or output is not one");
  }

  // Own copies of the fds: closing the FILEs at the end must not close the caller's stdin.
  const int in_fd = dup(opts.input_fd);
  if (in_fd >= 0) impl->in = fdopen(in_fd, "r");
  const int out_fd = dup(opts.output_fd);
  if (out_fd >= 0) impl->out = fdopen(out_fd, "w");
  if (impl->in == nullptr || impl->out == nullptr) {
    if (impl->in == nullptr && in_fd >= 0) ::close(in_fd);
    if (impl->out == nullptr && out_fd >= 0) ::close(out_fd);
    return make_error(Errc::io_error, "could not duplicate the terminal's file descriptors");
  }

  if (auto usable = detail::probe_terminal(term.c_str(), opts.output_fd); !usable) {
    return make_error(Errc::unsupported, "TERM \"" + printable(term, 64) + "\": " + usable.error().message);
  }
  // newterm, not initscr: initscr exits the process when the terminal is unusable.
  impl->screen = newterm(term.c_str(), impl->out, impl->in);
  if (impl->screen == nullptr) {
    return make_error(Errc::unsupported, "TERM \"" + printable(term, 64) + "\": ncurses cannot start on it");
  }
  set_term(impl->screen);
  cbreak();
  noecho();
  keypad(stdscr, TRUE);
  set_escdelay(kEscDelayMs);
  curs_set(0);  // some terminals cannot hide it; drawing works the same
  impl->redraw();
  return std::unique_ptr<CursesDisplay>(new CursesDisplay(std::move(impl)));
}

void CursesDisplay::show(const ScreenData& screen) {
  impl_->rows = layout(screen, impl_->options.size);
  impl_->redraw();
}

void CursesDisplay::panel(std::string_view title, const std::vector<std::string>& lines) {
  auto& panels = impl_->panels;
  const auto found = std::find_if(panels.begin(), panels.end(), [&](const auto& p) { return p.first == title; });
  if (lines.empty()) {
    if (found != panels.end()) panels.erase(found);
  } else if (found != panels.end()) {
    found->second = lines;
  } else {
    panels.emplace_back(std::string(title), lines);
  }
  impl_->redraw();
}

std::optional<Key> CursesDisplay::read_key(std::chrono::milliseconds wait) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::max(wait, std::chrono::milliseconds{0});
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    wtimeout(stdscr, static_cast<int>(std::clamp<decltype(left)>(left, 0, INT_MAX)));
    const int ch = wgetch(stdscr);
    if (ch == ERR) return std::nullopt;
    if (ch == KEY_RESIZE) {
      impl_->redraw();
    } else if (const auto key = key_from_curses(ch)) {
      return key;
    }
    if (clock::now() >= deadline) return std::nullopt;
  }
}

bool CursesDisplay::fits() const noexcept { return impl_->fits; }

}  // namespace tender::ui
