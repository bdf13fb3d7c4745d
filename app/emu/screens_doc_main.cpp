// tender-emu-screens: prints tests/scenarios/SCREENS.md (the screen texts a scenario's
// expect_display can match), generated from the display's tables; ctest emu_screens_doc
// compares it with the file in the repository.
#include <iostream>

#include "app/emu/screens_doc.hpp"

int main() {
  std::cout << tender::app::emu::screens_markdown();
  return std::cout.good() ? 0 : 1;
}
