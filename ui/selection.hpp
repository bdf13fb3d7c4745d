// A choice from a list on the display, made on the keypad (EMV Book 1 12.4 application
// selection; any other list a front end needs): Up/Down or a digit moves the marker, ENTER
// takes it, CANCEL stops. Blocking, like a PED's PIN entry: the timeout (no key for this
// long) and `stop` bound it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "ui/display.hpp"

namespace tender::ui {

// The 0-based index taken; Errc::cancelled for CANCEL or `stop`, Errc::timeout with no key in
// time, Errc::invalid_argument for an empty list.
Result<std::size_t> choose_item(Display& display, Keypad& keypad, const std::vector<std::string>& items,
                                std::chrono::milliseconds timeout, const std::function<bool()>& stop = {});

}  // namespace tender::ui
