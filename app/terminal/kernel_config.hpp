// The EMV kernel's configuration of a terminal from its files: `emv.terminal_file` (the
// terminal's EMV parameters and its AIDs, terminal_json.hpp) and `emv.capk_file` (the CA
// public keys it trusts, capk_json.hpp), with the identity of the terminal's
// configuration (terminal_id as 9F1C, merchant_id as 9F16, the currency). `tender` builds
// its kernel with it; tests load their files through it.
#pragma once

#include "app/config/settings.hpp"
#include "common/result.hpp"
#include "emv/terminal_config.hpp"

namespace tender::app {

// Errors name the field whose file failed ("emv.terminal_file: aids[1].tac_online: ...",
// "emv.capk_file: capks[0]: CA public key checksum does not match"); a file that does not
// exist is Errc::not_found, one that cannot be read Errc::io_error.
//
// Without `emv.terminal_file`:
//  - a terminal with a chip reader (devices.card_reader) is refused (Errc::invalid_argument):
//    the AIDs a terminal accepts, their action codes and floor limits are the acquirer's
//    parameters, and a terminal that quietly ran on built-in ones would take real cards
//    under test values. data/emv/terminal.sample.json is the test set, to be named
//    explicitly when that is what is wanted;
//  - a terminal without one gets an empty AID list: the kernel never runs there.
// Without `emv.capk_file` the terminal trusts no CA key: no offline data authentication.
Result<emv::TerminalConfig> load_kernel_config(const TerminalSettings& settings);

}  // namespace tender::app
