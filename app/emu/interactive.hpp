// tender-emu's interactive mode: the terminal UI (ncurses) over the same engine.
#pragma once

#include <string>
#include <vector>

namespace tender::app::emu {

int run_interactive(const std::vector<std::string>& args);

}  // namespace tender::app::emu
