// Recorded wedge-reader swipes: what a USB keyboard-wedge stripe reader would make the kernel
// deliver on /dev/input/eventN, as `struct input_event` records, for a test track. tender's
// stripe reader (drivers/msr EvdevReader) reads such a recording from a file or a FIFO named
// in msr.evdev, so a swipe needs no reader. The tool is tender-swipe (app/vcard/swipe_main.cpp).
//
// Per character of the typed text: Shift pressed if the character needs it, the key pressed
// (each key event after its EV_MSC/MSC_SCAN HID usage, as a USB keyboard reports it),
// SYN_REPORT; 1 ms later the releases and SYN_REPORT; the next character 2 ms after the one
// before; Enter last. Time starts at kRecordingEpoch and swipes are 1 s apart, so the same
// text always gives the same bytes (tests/data/msr/wedge_swipe_visa.bin is one).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::app::vcard {

// The record layouts of Linux's input_event: seconds and microseconds are a `long` each.
enum class EventLayout : std::uint8_t {
  le64,  // 24 bytes: x86-64, aarch64
  le32,  // 16 bytes: armhf
};

// The layout of this build's own input_event (so of the tender built alongside).
EventLayout native_layout() noexcept;
std::size_t record_size(EventLayout layout) noexcept;

inline constexpr std::chrono::seconds kRecordingEpoch{1'795'000'000};  // CLOCK_REALTIME-like

// One swipe per entry: the text the reader types, sentinels included
// ("%B4111...^NAME^YYMM...?;4111...=YYMM...?"). Errc::invalid_argument for an empty swipe or
// a character a US keyboard cannot type (the message gives the swipe and character position,
// never the character: it is card data).
Result<Bytes> swipe_recording(std::span<const std::string> swipes, EventLayout layout);

}  // namespace tender::app::vcard
