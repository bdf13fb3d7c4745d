#include "drivers/printer/printer.hpp"

#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tender::printer {
namespace {

using Clock = std::chrono::steady_clock;

std::string os_error(int err) { return std::strerror(err); }

// Closes on every path out of print().
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// Milliseconds left until `until` for poll(); 0 once it has passed.
int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 1 << 30));
}

// Waits until `fd` is writable. Errc::timeout when the deadline passes first.
Result<void> wait_writable(int fd, Clock::time_point until, std::string_view what) {
  for (;;) {
    pollfd p{fd, POLLOUT, 0};
    const int n = ::poll(&p, 1, remaining_ms(until));
    if (n > 0) return ok();
    if (n == 0) return make_error(Errc::timeout, std::string{what} + ": deadline passed");
    if (errno != EINTR) return make_error(Errc::io_error, std::string{what} + ": poll: " + os_error(errno));
  }
}

}  // namespace

Result<void> FilePrinter::print(ByteView escpos) {
  const Fd fd{::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)};
  if (fd.get() < 0)
    return make_error(Errc::io_error, "printer " + path_ + ": open: " + os_error(errno));
  std::size_t done = 0;
  while (done < escpos.size()) {
    const ssize_t n = ::write(fd.get(), escpos.data() + done, escpos.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io_error, "printer " + path_ + ": write: " + os_error(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && ::fsync(fd.get()) != 0)
    return make_error(Errc::io_error, "printer " + path_ + ": fsync: " + os_error(errno));
  return ok();
}

Result<void> TcpPrinter::print(ByteView escpos) {
  const std::string where = "printer " + host_ + ":" + std::to_string(port_);
  const Clock::time_point until = Clock::now() + deadline_;

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port_);
  if (const int rc = ::getaddrinfo(host_.c_str(), service.c_str(), &hints, &found); rc != 0)
    return make_error(Errc::io_error, where + ": name lookup: " + ::gai_strerror(rc));

  // A receipt printer has one address; a second attempt would need its own share of the
  // deadline.
  const Fd sock{::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                         found->ai_protocol)};
  if (sock.get() < 0) {
    ::freeaddrinfo(found);
    return make_error(Errc::io_error, where + ": socket: " + os_error(errno));
  }
  const int rc = ::connect(sock.get(), found->ai_addr, found->ai_addrlen);
  const int connect_errno = errno;
  ::freeaddrinfo(found);
  if (rc != 0) {
    if (connect_errno != EINPROGRESS)
      return make_error(Errc::io_error, where + ": connect: " + os_error(connect_errno));
    if (auto w = wait_writable(sock.get(), until, where + " connect"); !w) return w;
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (::getsockopt(sock.get(), SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) so_error = errno;
    if (so_error != 0) return make_error(Errc::io_error, where + ": connect: " + os_error(so_error));
  }

  std::size_t done = 0;
  while (done < escpos.size()) {
    if (auto w = wait_writable(sock.get(), until, where + " send"); !w) return w;
    // MSG_NOSIGNAL: a printer that hangs up must be an error, not a SIGPIPE.
    const ssize_t n = ::send(sock.get(), escpos.data() + done, escpos.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return make_error(Errc::io_error, where + ": send: " + os_error(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  // The half-close tells the printer the job is complete.
  ::shutdown(sock.get(), SHUT_WR);
  // send() only queued the bytes: wait until the printer's TCP has acknowledged all of
  // them, so that a printer which stalls mid-job is a timeout here and not a receipt
  // silently lost after close().
  for (;;) {
    int unacknowledged = 0;
    // Where the kernel cannot say (ioctl fails), queued is the best we know.
    if (::ioctl(sock.get(), SIOCOUTQ, &unacknowledged) != 0 || unacknowledged == 0) return ok();
    const int wait = std::min(remaining_ms(until), 10);
    if (wait == 0)
      return make_error(Errc::timeout, where + ": deadline passed before the printer took the job");
    ::poll(nullptr, 0, wait);
  }
}

}  // namespace tender::printer
