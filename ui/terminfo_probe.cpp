// Alone in its file because term.h defines macros named like ordinary words (lines,
// columns, tab, bell) that must not meet the rest of the code.
#include "ui/terminfo_probe.hpp"

#define NCURSES_NOMACROS
#include <curses.h>
#include <term.h>

namespace tender::ui::detail {

Result<void> probe_terminal(const char* term, int fd) {
  TERMINAL* const before = cur_term;
  int status = 0;
  if (setupterm(term, fd, &status) != OK) {
    return make_error(Errc::unsupported, status == -1 ? "no terminfo database found"
                                                      : "the terminal type is not in the terminfo database");
  }
  const char* const cup = tigetstr("cup");
  const bool addressable = cup != nullptr && cup != reinterpret_cast<char*>(-1);
  del_curterm(set_curterm(before));
  if (!addressable) return make_error(Errc::unsupported, "the terminal type cannot position its cursor");
  return ok();
}

}  // namespace tender::ui::detail
