// tender-emu load: a fleet of virtual terminals against one host, for sizing it.
//
//   tender-emu load --terminals N --sales M [--config FILE | --host aurora|fullstack|connexpay]
//                   [--state-dir DIR] [--json]
//
// N virtual terminals, each the emulator's terminal (app/emu/terminal.hpp: its own engine,
// journal and HTTPS connection, on its own io_context) driven by its own thread, make M sales
// each against the built-in host simulator (in-process, on loopback) or the host of a
// terminal configuration (e.g. a tender-hostsim). Then each terminal's journal is read back.
// Prints sales per second, latency percentiles per sale, errors by kind, the journals' count
// and the peak RSS; --json prints one JSON object instead (with each terminal's host
// references, to match against the host's ledger). Exit 0 when every sale was approved and
// journaled, 1 otherwise, 2 for bad arguments or a configuration that does not load.
#pragma once

#include <string>
#include <vector>

namespace tender::app::emu {

int load_command(const std::vector<std::string>& args);

}  // namespace tender::app::emu
