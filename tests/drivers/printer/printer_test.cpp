#include "drivers/printer/printer.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "drivers/printer/escpos.hpp"

namespace tender::printer {
namespace {

namespace fs = std::filesystem;

Bytes sample_job() {
  Document doc;
  doc.line("TENDER", Align::center, true).line("411111******1111").cut();
  return encode_escpos(doc);
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tender-printer-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(FilePrinter, WritesExactlyTheBytes) {
  TempDir dir;
  const fs::path file = dir.path() / "receipt.bin";
  FilePrinter printer(file.string());
  const Bytes job = sample_job();
  ASSERT_TRUE(printer.print(job));
  EXPECT_EQ(read_file(file), job);
}

TEST(FilePrinter, AppendsJobs) {
  TempDir dir;
  const fs::path file = dir.path() / "spool.bin";
  FilePrinter printer(file.string());
  const Bytes first = sample_job();
  const Bytes second = encode_escpos(Document{}.line("SECOND"));
  ASSERT_TRUE(printer.print(first));
  ASSERT_TRUE(printer.print(second));
  Bytes both = first;
  both.insert(both.end(), second.begin(), second.end());
  EXPECT_EQ(read_file(file), both);
}

TEST(FilePrinter, CharacterDeviceIsWrittenWithoutFsync) {
  // /dev/null stands in for /dev/usb/lp0: fsync on a character device would fail.
  FilePrinter printer("/dev/null");
  EXPECT_TRUE(printer.print(sample_job()));
}

TEST(FilePrinter, MissingDirectoryIsIoErrorWithoutData) {
  TempDir dir;
  FilePrinter printer((dir.path() / "no-such-dir" / "lp0").string());
  auto result = printer.print(sample_job());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::io_error);
  EXPECT_EQ(result.error().message.find("411111"), std::string::npos);
}

// A loopback listener that accepts one connection and reads until EOF.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 1) != 0)
      ADD_FAILURE() << "cannot listen on loopback";
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() {
    if (reader_.joinable()) reader_.join();
    ::close(fd_);
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }

  void accept_and_read() {
    reader_ = std::thread([this] {
      const int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      Byte buf[4096];
      for (;;) {
        const ssize_t n = ::read(conn, buf, sizeof buf);
        if (n <= 0) break;
        received_.insert(received_.end(), buf, buf + n);
      }
      ::close(conn);
    });
  }
  Bytes received() {
    reader_.join();
    return received_;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  Bytes received_;
};

TEST(TcpPrinter, SendsExactlyTheBytes) {
  Listener listener;
  listener.accept_and_read();
  TcpPrinter printer("127.0.0.1", listener.port(), std::chrono::milliseconds{5000});
  const Bytes job = sample_job();
  auto result = printer.print(job);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(listener.received(), job);
}

TEST(TcpPrinter, LargeJobArrivesWhole) {
  Listener listener;
  listener.accept_and_read();
  Document doc;
  for (int i = 0; i < 20000; ++i) doc.line("LINE " + std::to_string(i), Align::center, i % 2 == 0);
  const Bytes job = encode_escpos(doc);
  ASSERT_GT(job.size(), 200000u);
  TcpPrinter printer("127.0.0.1", listener.port(), std::chrono::milliseconds{10000});
  auto result = printer.print(job);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(listener.received(), job);
}

TEST(TcpPrinter, RefusedConnectionIsIoError) {
  std::uint16_t port = 0;
  {
    Listener closed;  // bound then closed: nothing listens on that port any more
    port = closed.port();
  }
  TcpPrinter printer("127.0.0.1", port, std::chrono::milliseconds{2000});
  auto result = printer.print(sample_job());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::io_error);
  EXPECT_NE(result.error().message.find("connect"), std::string::npos);
  EXPECT_EQ(result.error().message.find("411111"), std::string::npos);
}

// A printer that accepts but never reads (paper out, buffer full) must end in a timeout,
// not a hang.
TEST(TcpPrinter, PeerThatNeverReadsTimesOut) {
  Listener listener;  // the backlog completes the handshake; nobody ever accepts or reads
  Bytes job(64u * 1024u * 1024u, 'A');
  TcpPrinter printer("127.0.0.1", listener.port(), std::chrono::milliseconds{300});
  const auto start = std::chrono::steady_clock::now();
  auto result = printer.print(job);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::timeout);
  EXPECT_LT(took, std::chrono::seconds{5});
}

TEST(MemoryPrinter, KeepsJobs) {
  MemoryPrinter printer;
  const Bytes job = sample_job();
  ASSERT_TRUE(printer.print(job));
  ASSERT_EQ(printer.jobs().size(), 1u);
  EXPECT_EQ(printer.jobs()[0], job);
}

}  // namespace
}  // namespace tender::printer
