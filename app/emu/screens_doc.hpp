// tests/scenarios/SCREENS.md, the texts a scenario's expect_display can match, generated from
// the tables that draw them (ui/screen.cpp's 4x20 templates, the engine's screens in
// app/terminal/screens.cpp, the result lines of app/engine/display_text.cpp), so the
// document cannot drift from what the display shows: ctest emu_screens_doc compares them.
#pragma once

#include <string>

namespace tender::app::emu {

// The whole document, Markdown.
std::string screens_markdown();

}  // namespace tender::app::emu
