// What the benchmark programs share: a scratch directory per run.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace tender::bench {

// A fresh directory, removed afterwards, so runs never see each other's files.
class TempDir {
 public:
  explicit TempDir(std::string_view what) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("tender-bench-" + std::string(what) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tender::bench
