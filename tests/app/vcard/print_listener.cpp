// A raw TCP "port 9100" receipt printer for process tests: listens on 127.0.0.1 (port 0
// picks a free one), prints exactly one line "listening on 127.0.0.1:N" to stdout when
// ready, accepts one job (connection) at a time and appends every byte it receives to
// OUTFILE, flushed as it arrives. It exits on SIGTERM/SIGINT, or after IDLE_SECONDS
// (default 600) without a connection or a byte, so a test that dies leaves nothing behind.
//
//   print_listener OUTFILE [PORT [IDLE_SECONDS]]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) { g_stop = 1; }

int usage() {
  std::fputs("usage: print_listener OUTFILE [PORT [IDLE_SECONDS]]\n", stderr);
  return 2;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) return usage();
  const int port = argc > 2 ? std::atoi(argv[2]) : 0;
  const int idle_seconds = argc > 3 ? std::atoi(argv[3]) : 600;
  if (port < 0 || port > 65535 || idle_seconds <= 0) return usage();

  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  const int out = ::open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out < 0) {
    std::perror("print_listener: open OUTFILE");
    return 1;
  }
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  (void)::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  socklen_t len = sizeof addr;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 4) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("print_listener: listen");
    return 1;
  }
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(ntohs(addr.sin_port)));
  std::fflush(stdout);

  int client = -1;
  int idle_ms = 0;
  constexpr int kTickMs = 200;
  while (g_stop == 0 && idle_ms < idle_seconds * 1000) {
    pollfd p{client >= 0 ? client : listener, POLLIN, 0};
    const int n = ::poll(&p, 1, kTickMs);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) {
      idle_ms += kTickMs;
      continue;
    }
    idle_ms = 0;
    if (client < 0) {
      client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      continue;
    }
    std::array<char, 4096> buffer{};
    const ssize_t got = ::read(client, buffer.data(), buffer.size());
    if (got > 0) {
      if (!write_all(out, buffer.data(), static_cast<std::size_t>(got))) break;
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    ::close(client);  // the job ended (or failed): ready for the next
    client = -1;
  }
  if (client >= 0) ::close(client);
  ::close(listener);
  ::close(out);
  return 0;
}
