// tender-swipe: writes a recorded wedge-reader swipe (struct input_event records) for test
// tracks, to feed tender's stripe reader through a file or a FIFO (msr.evdev). Test cards only.
//
//   tender-swipe < visa_test_tracks.txt > /tmp/msr.fifo
//   (visa_test_tracks.txt: %B4111111111111111^DOE-SMITH/JOHN Q.MR^3012101000000000000?;4111111111111111=30121010000000000000?)
//
// stdin: one swipe a line, as the reader types it (sentinels included); stdout: the records.
// Exit 2 with one line on stderr for bad input (no swipe, a character a US keyboard cannot
// type, stdout a terminal); exit 1 when stdout cannot be written.
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/vcard/swipe_recording.hpp"
#include "common/secure_zero.hpp"

#include "common/version.hpp"

namespace {

namespace vcard = tender::app::vcard;

constexpr std::string_view kUsage =
    "usage: tender-swipe [--layout 64|32] < SWIPES > RECORDING\n"
    "       tender-swipe --help | --version\n"
    "\n"
    "Writes what a USB keyboard-wedge stripe reader makes the kernel deliver (struct input_event\n"
    "records) for each line of stdin: the text the reader types, sentinels included\n"
    "(%<track 1>?;<track 2>?). Give the result to tender through a file or a FIFO named in\n"
    "msr.evdev. Test cards only.\n"
    "\n"
    "  --layout 64   24-byte records (x86-64, aarch64)\n"
    "  --layout 32   16-byte records (armhf)\n"
    "                default: this machine's own layout\n";

int fail(int code, std::string_view message) {
  std::cerr << "tender-swipe: " << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  vcard::EventLayout layout = vcard::native_layout();
  bool layout_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--version") {
      std::cout << tender::version_line("tender-swipe") << "\n";
      return 0;
    }
    if (arg != "--layout") return fail(2, "unknown argument (tender-swipe --help)");
    if (i + 1 >= argc) return fail(2, "--layout needs a value: 64 or 32");
    if (layout_seen) return fail(2, "--layout given twice");
    layout_seen = true;
    const std::string_view value = argv[++i];
    if (value == "64") layout = vcard::EventLayout::le64;
    else if (value == "32") layout = vcard::EventLayout::le32;
    else return fail(2, "--layout must be 64 or 32");
  }
  if (::isatty(STDOUT_FILENO) == 1) return fail(2, "stdout is a terminal: redirect it to a file or a FIFO");

  std::vector<std::string> swipes;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) swipes.push_back(std::move(line));
    line.clear();
  }
  auto recording = vcard::swipe_recording(swipes, layout);
  for (auto& s : swipes) tender::secure_zero(s.data(), s.size());
  if (!recording) return fail(2, recording.error().message);
  std::cout.write(reinterpret_cast<const char*>(recording->data()), static_cast<std::streamsize>(recording->size()));
  std::cout.flush();
  tender::secure_zero(recording->data(), recording->size());
  if (!std::cout) return fail(1, "writing stdout failed");
  return 0;
}
