// The Printer seam (ARCHITECTURE.md) and its back ends: a file or character device
// (/dev/usb/lp0, a spool file), and a raw TCP socket (port 9100, "JetDirect"/AppSocket).
// A back end moves bytes and nothing else: it never looks at them, and its errors never
// quote them (a receipt carries the masked PAN and amounts; logs need neither).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::printer {

class Printer {
 public:
  virtual ~Printer() = default;
  // One whole job (encode_escpos output). Errc::io_error or Errc::timeout.
  virtual Result<void> print(ByteView escpos) = 0;
};

// Appends each job to `path`. A regular file is created if missing and fsync'd after each
// job, so a spooled receipt survives a power cut; a character device (the usblp driver's
// /dev/usb/lp0) is written as is.
class FilePrinter final : public Printer {
 public:
  explicit FilePrinter(std::string path) : path_(std::move(path)) {}
  Result<void> print(ByteView escpos) override;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

// Raw TCP: connect, send the job, half-close, wait until the printer's TCP has
// acknowledged every byte. `deadline` bounds the whole job (name lookup aside: give a
// numeric address to bound that too); a printer that is off, out of paper with a full
// buffer, or unplugged gives Errc::timeout instead of a hang. Only the first address of
// the name is tried.
class TcpPrinter final : public Printer {
 public:
  static constexpr std::uint16_t kDefaultPort = 9100;

  explicit TcpPrinter(std::string host, std::uint16_t port = kDefaultPort,
                      std::chrono::milliseconds deadline = std::chrono::milliseconds{5000})
      : host_(std::move(host)), port_(port), deadline_(deadline) {}
  Result<void> print(ByteView escpos) override;

 private:
  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds deadline_;
};

// Keeps the jobs in memory: for the emulator and for tests of what the app prints.
class MemoryPrinter final : public Printer {
 public:
  Result<void> print(ByteView escpos) override {
    jobs_.emplace_back(escpos.begin(), escpos.end());
    return ok();
  }
  [[nodiscard]] const std::vector<Bytes>& jobs() const noexcept { return jobs_; }
  void clear() { jobs_.clear(); }

 private:
  std::vector<Bytes> jobs_;
};

}  // namespace tender::printer
