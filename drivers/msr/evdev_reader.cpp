#include "drivers/msr/evdev_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string_view>
#include <utility>

#include "common/log.hpp"
#include "common/secure_zero.hpp"
#include "drivers/msr/keymap.hpp"

namespace tender::msr {
namespace {

constexpr std::string_view kComponent = "msr";

std::string os_error(int err) { return std::strerror(err); }

std::chrono::microseconds timestamp(const input_event& event) noexcept {
  return std::chrono::seconds{static_cast<std::int64_t>(event.input_event_sec)} +
         std::chrono::microseconds{static_cast<std::int64_t>(event.input_event_usec)};
}

bool is_lock_key(std::uint16_t code) noexcept {
  return code == KEY_CAPSLOCK || code == KEY_NUMLOCK || code == KEY_SCROLLLOCK;
}

// Splits what the reader typed into its tracks. Characters outside any sentinel
// pair are skipped: readers can be configured with a preamble and a postamble.
Result<Swipe> split_tracks(std::string_view typed) {
  enum class Where { outside, track1, track2, other };
  Swipe swipe;
  bool seen1 = false;
  bool seen2 = false;
  Where where = Where::outside;
  std::size_t start = 0;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    const char c = typed[i];
    if (where == Where::outside) {
      // A second ';' is track 3 (ISO 4909), which carries nothing a sale needs.
      if (c == '%') where = seen1 ? Where::other : Where::track1;
      else if (c == ';') where = seen2 ? Where::other : Where::track2;
      start = i + 1;
      continue;
    }
    if (c != '?') continue;
    const std::string_view body = typed.substr(start, i - start);
    // "E" between the sentinels is how readers report a track they could not read.
    const bool read = body != "E";
    if (where == Where::track1) {
      seen1 = true;
      if (read) swipe.track1 = SecretString{body};
    } else if (where == Where::track2) {
      seen2 = true;
      if (read) swipe.track2 = SecretString{body};
    }
    where = Where::outside;
  }
  if (where == Where::track1 || where == Where::track2)
    return make_error(Errc::malformed, "swipe: track " +
                                           std::string{where == Where::track1 ? "1" : "2"} +
                                           " has no end sentinel (" +
                                           std::to_string(typed.size() - start) + " characters)");
  if (swipe.track1.empty() && swipe.track2.empty())
    return make_error(Errc::malformed, "swipe: neither track 1 nor track 2 in " +
                                           std::to_string(typed.size()) + " characters");
  return swipe;
}

// Milliseconds until `until` for poll(), rounded up so that a wake-up is never
// early (an early one would only spin); 0 once it has passed.
int remaining_ms(std::chrono::steady_clock::time_point until) {
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 1 << 30));
}

}  // namespace

// ---------------------------------------------------------------- EvdevDecoder

EvdevDecoder::EvdevDecoder(std::chrono::microseconds inter_character_timeout) noexcept
    : timeout_(inter_character_timeout) {}

EvdevDecoder::~EvdevDecoder() { wipe(); }

bool EvdevDecoder::pending() const noexcept { return length_ > 0 || fault_ != Fault::none; }

void EvdevDecoder::wipe() noexcept {
  secure_zero(typed_.data(), typed_.size());
  length_ = 0;
}

void EvdevDecoder::reset() noexcept {
  wipe();
  fault_ = Fault::none;
  fault_key_code_ = 0;
  fault_offset_ = 0;
  last_press_.reset();
}

// The first fault names the swipe's error. Nothing more of the swipe is kept
// after it: the swipe can only end as an error, and its characters are card data.
void EvdevDecoder::mark(Fault fault, std::uint16_t key_code) noexcept {
  if (fault_ == Fault::none) {
    fault_ = fault;
    fault_key_code_ = key_code;
    fault_offset_ = length_;
  }
  wipe();
}

std::optional<Result<Swipe>> EvdevDecoder::end_swipe() {
  if (!pending()) return std::nullopt;
  std::optional<Result<Swipe>> ended;
  switch (fault_) {
    case Fault::none:
      ended.emplace(split_tracks({typed_.data(), length_}));
      break;
    case Fault::unknown_key:
      ended.emplace(make_error(Errc::malformed,
                               "swipe: key code " + std::to_string(fault_key_code_) +
                                   " at character " + std::to_string(fault_offset_) +
                                   " types nothing on a US layout"));
      break;
    case Fault::overflow:
      ended.emplace(make_error(Errc::malformed, "swipe: longer than " +
                                                    std::to_string(kMaxSwipeCharacters) +
                                                    " characters"));
      break;
    case Fault::dropped:
      ended.emplace(make_error(Errc::malformed,
                               "swipe: the kernel dropped input events (SYN_DROPPED)"));
      break;
  }
  reset();
  return ended;
}

std::optional<Result<Swipe>> EvdevDecoder::finish() { return end_swipe(); }

std::optional<Result<Swipe>> EvdevDecoder::feed(const input_event& event) {
  if (event.type == EV_SYN) {
    if (event.code == SYN_DROPPED) {
      // The kernel's queue overflowed: keys of this swipe are lost, and so may be a
      // Shift release. A reader never holds Shift between swipes, so released is
      // the state to resume from.
      resyncing_ = true;
      left_shift_ = right_shift_ = false;
      mark(Fault::dropped);
      // Lost keys may have been the start of a swipe; the gap rule must still end it.
      if (!last_press_) last_press_ = timestamp(event);
    } else if (event.code == SYN_REPORT) {
      resyncing_ = false;
    }
    return std::nullopt;
  }
  // Until the next SYN_REPORT the events are a partial report (evdev's rule).
  // EV_MSC carries the HID usage of each key, EV_LED the lock lights: no characters.
  if (resyncing_ || event.type != EV_KEY) return std::nullopt;

  const std::uint16_t code = event.code;
  const bool shift_key = code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT;
  if (shift_key && (event.value == 0 || event.value == 1))
    (code == KEY_LEFTSHIFT ? left_shift_ : right_shift_) = event.value == 1;
  // Releases carry nothing the press did not; autorepeat (2) would double characters
  // if the host's repeat delay were ever shorter than a reader's key hold.
  if (event.value != 1) return std::nullopt;

  std::optional<Result<Swipe>> ended;
  const std::chrono::microseconds now = timestamp(event);
  if (last_press_ && now - *last_press_ > timeout_) ended = end_swipe();
  if (shift_key || is_lock_key(code)) return ended;

  if (code == KEY_ENTER || code == KEY_KPENTER) {
    // After a gap the swipe before has just ended and this Enter ends nothing.
    if (!ended) ended = end_swipe();
    return ended;
  }

  last_press_ = now;
  if (fault_ != Fault::none) return ended;
  const std::optional<char> c = us_character(code, left_shift_ || right_shift_);
  if (!c) {
    mark(Fault::unknown_key, code);
  } else if (length_ == typed_.size()) {
    mark(Fault::overflow);
  } else {
    typed_[length_++] = *c;
  }
  return ended;
}

// ---------------------------------------------------------------- EvdevReader

EvdevReader::EvdevReader(std::string path, int fd, bool grabbed, EvdevDecoder decoder) noexcept
    : path_(std::move(path)), fd_(fd), grabbed_(grabbed), decoder_(decoder) {}

EvdevReader::EvdevReader(EvdevReader&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      grabbed_(std::exchange(other.grabbed_, false)),
      at_end_(other.at_end_),
      decoder_(other.decoder_),
      buffer_(other.buffer_),
      begin_(std::exchange(other.begin_, 0)),
      end_(std::exchange(other.end_, 0)),
      last_arrival_(other.last_arrival_) {
  other.decoder_.reset();
  secure_zero(other.buffer_.data(), other.buffer_.size());
}

EvdevReader& EvdevReader::operator=(EvdevReader&& other) noexcept {
  if (this == &other) return *this;
  close();
  path_ = std::move(other.path_);
  fd_ = std::exchange(other.fd_, -1);
  grabbed_ = std::exchange(other.grabbed_, false);
  at_end_ = other.at_end_;
  decoder_ = other.decoder_;
  buffer_ = other.buffer_;
  begin_ = std::exchange(other.begin_, 0);
  end_ = std::exchange(other.end_, 0);
  last_arrival_ = other.last_arrival_;
  other.decoder_.reset();
  secure_zero(other.buffer_.data(), other.buffer_.size());
  return *this;
}

EvdevReader::~EvdevReader() { close(); }

void EvdevReader::close() noexcept {
  if (fd_ >= 0) {
    // Closing releases the grab too; releasing first returns the device to the
    // console at once rather than when the last duplicate of the fd is gone.
    if (grabbed_) (void)::ioctl(fd_, EVIOCGRAB, 0);
    ::close(fd_);
  }
  fd_ = -1;
  grabbed_ = false;
  decoder_.reset();
  secure_zero(buffer_.data(), buffer_.size());
  begin_ = end_ = 0;
}

Result<EvdevReader> EvdevReader::open(std::string path,
                                      std::chrono::microseconds inter_character_timeout) {
  if (inter_character_timeout <= std::chrono::microseconds::zero())
    return make_error(Errc::invalid_argument,
                      "msr " + path + ": the inter-character timeout must be positive");
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::io_error, "msr " + path + ": open: " + os_error(errno));

  // A file or pipe (a recording: the emulator and the tests) is no device and has nothing to
  // grab. Asking anyway fails with ENOTTY on Linux, but with ENOSYS under qemu-user, which
  // passes no evdev ioctl on (the cross builds' tests run there).
  struct stat st {};
  const bool device = ::fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
  bool grabbed = false;
  if (!device) {
    log::info(kComponent, path, ": not a device; reading it as recorded input events");
  } else if (::ioctl(fd, EVIOCGRAB, 1) == 0) {
    grabbed = true;
    // Event timestamps default to CLOCK_REALTIME, which NTP may step in the middle
    // of a swipe and so split it or join two.
    int clock = CLOCK_MONOTONIC;
    (void)::ioctl(fd, EVIOCSCLOCKID, &clock);
    std::array<char, 128> name{};
    if (::ioctl(fd, EVIOCGNAME(name.size() - 1), name.data()) < 0) name[0] = '\0';
    log::info(kComponent, path, ": grabbed input device \"", name.data(), "\"");
  } else if (errno == ENOTTY || errno == EINVAL) {
    log::info(kComponent, path, ": not an input device (EVIOCGRAB: ", os_error(errno),
              "); reading it as recorded input events");
  } else {
    const int err = errno;
    ::close(fd);
    return make_error(Errc::io_error, "msr " + path + ": EVIOCGRAB: " + os_error(err) +
                                          (err == EBUSY ? " (another process holds the grab)" : ""));
  }
  return EvdevReader{std::move(path), fd, grabbed, EvdevDecoder{inter_character_timeout}};
}

// Feeds whole buffered records to the decoder, stopping at the first one that ends
// a swipe: the records after it stay buffered for the next poll().
std::optional<Result<Swipe>> EvdevReader::drain() {
  while (end_ - begin_ >= sizeof(input_event)) {
    input_event event{};
    std::memcpy(&event, buffer_.data() + begin_, sizeof event);
    secure_zero(buffer_.data() + begin_, sizeof event);
    begin_ += sizeof event;
    std::optional<Result<Swipe>> ended = decoder_.feed(event);
    secure_zero(&event, sizeof event);
    if (ended) return ended;
  }
  return std::nullopt;
}

// The events' own timestamps cannot tell that a swipe has ended when no further
// event comes; the arrival time on this process's clock can.
std::optional<Result<Swipe>> EvdevReader::expire() {
  if (!decoder_.pending()) return std::nullopt;
  if (at_end_ || Clock::now() - last_arrival_ >= decoder_.inter_character_timeout())
    return decoder_.finish();
  return std::nullopt;
}

Result<void> EvdevReader::read_some() {
  if (begin_ > 0) {
    const std::size_t left = end_ - begin_;
    std::memmove(buffer_.data(), buffer_.data() + begin_, left);
    secure_zero(buffer_.data() + left, end_ - left);
    begin_ = 0;
    end_ = left;
  }
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      last_arrival_ = Clock::now();
      return ok();
    }
    if (n == 0) {
      at_end_ = true;
      // A recording cut inside a record: the part can never be completed.
      secure_zero(buffer_.data() + begin_, end_ - begin_);
      begin_ = end_ = 0;
      return ok();
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return ok();
    const int err = errno;
    return make_error(Errc::io_error, "msr " + path_ + ": read: " + os_error(err) +
                                          (err == ENODEV ? " (reader unplugged)" : ""));
  }
}

Result<std::optional<Swipe>> EvdevReader::deliver(Result<Swipe> ended) const {
  if (!ended) {
    Error error = std::move(ended).error();
    error.message = "msr " + path_ + ": " + error.message;
    return error;
  }
  return std::optional<Swipe>{std::move(ended).value()};
}

Result<std::optional<Swipe>> EvdevReader::poll(std::chrono::milliseconds wait) {
  if (fd_ < 0) return make_error(Errc::io_error, "msr " + path_ + ": not open");
  const Clock::time_point until = Clock::now() + wait;
  // The clock may end a swipe only after a read has found nothing more: the rest
  // of it may be waiting in the kernel while the caller was busy elsewhere.
  bool looked = false;
  for (;;) {
    if (auto ended = drain()) return deliver(std::move(*ended));
    if (looked) {
      if (auto ended = expire()) return deliver(std::move(*ended));
      if (Clock::now() >= until) return std::optional<Swipe>{};
    }
    looked = true;
    if (at_end_) {
      // Nothing more will come from a finished recording, and poll() would report
      // it readable at once and spin.
      if (!decoder_.pending()) (void)::poll(nullptr, 0, remaining_ms(until));
      continue;
    }
    Clock::time_point wake = until;
    if (decoder_.pending())
      wake = std::min(wake, last_arrival_ + decoder_.inter_character_timeout());
    pollfd p{fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, remaining_ms(wake));
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io_error, "msr " + path_ + ": poll: " + os_error(errno));
    }
    if (n == 0) continue;
    if ((p.revents & POLLNVAL) != 0)
      return make_error(Errc::io_error, "msr " + path_ + ": poll: descriptor not open");
    // POLLERR and POLLHUP are read as well: read() says what happened (ENODEV, or
    // end of stream when a pipe's writer has gone).
    if (auto r = read_some(); !r) return std::move(r).error();
  }
}

}  // namespace tender::msr
