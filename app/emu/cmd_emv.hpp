// tender-emu emv run | emv cards (cmd_emv.cpp): the kernel against the virtual test cards,
// printed as tenderctl prints (JSON on stdout; one line on stderr and exit 2 for bad input).
#pragma once

#include <string>
#include <vector>

namespace tender::ctl {

int emv_command(const std::vector<std::string>& words);

}  // namespace tender::ctl
