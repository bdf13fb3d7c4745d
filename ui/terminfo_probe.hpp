// Internal to ui/: asks terminfo about a terminal type before ncurses commits to it.
#pragma once

#include "common/result.hpp"

namespace tender::ui::detail {

// Errc::unsupported when `term` is not in the terminfo database, or cannot move its cursor.
// newterm would fail too, but a failed newterm leaks the SCREEN it had started to build;
// this check keeps a mistyped TERM from costing memory on every retry.
Result<void> probe_terminal(const char* term, int fd);

}  // namespace tender::ui::detail
