#include "app/config/device_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <string>

#include "common/secure_zero.hpp"

namespace tender::app::config_detail {
namespace {

enum class KeySource { env, file, credential };

struct KeySourceRow {
  std::string_view prefix;
  KeySource source;
};

constexpr std::array<KeySourceRow, 3> kKeySources{{
    {"env:", KeySource::env},
    {"file:", KeySource::file},
    {"credential:", KeySource::credential},
}};

constexpr std::string_view kSpecs = "must be \"file:PATH\", \"credential:NAME\", \"env:NAME\" or \"test\" (never the key itself)";
constexpr std::size_t kMaxKeyFileBytes = 256;  // 64 hex digits and some whitespace

// systemd's credential names: no path separators, so NAME cannot leave the directory.
bool is_credential_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

// The whole file, straight into a SecretString. fstat on the opened descriptor, so the file
// checked is the file read.
Result<SecretString> read_key_file(const std::filesystem::path& file, const std::string& path, std::string_view what) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return field_error(Errc::not_found, path, std::string(what) + " " + file.string() + " cannot be opened");
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return field_error(Errc::malformed, path, std::string(what) + " " + file.string() + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return field_error(Errc::unsupported, path,
                       std::string(what) + " " + file.string() + " is readable by group or others (chmod 600 or 400)");
  }
  // Root may read the service user's credential (an operator's tenderctl beside it).
  if (st.st_uid != ::geteuid() && st.st_uid != 0 && ::geteuid() != 0) {
    ::close(fd);
    return field_error(Errc::unsupported, path, std::string(what) + " " + file.string() + " belongs to another user");
  }
  std::array<char, kMaxKeyFileBytes + 1> buffer{};
  std::size_t got = 0;
  while (got < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + got, buffer.size() - got);
    if (n < 0) {
      ::close(fd);
      secure_zero(buffer.data(), buffer.size());
      return field_error(Errc::io_error, path, std::string(what) + " " + file.string() + " cannot be read");
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::string_view text{buffer.data(), got};
  if (got > kMaxKeyFileBytes) {
    secure_zero(buffer.data(), buffer.size());
    return field_error(Errc::out_of_range, path, std::string(what) + " " + file.string() + " is too long for a key");
  }
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  SecretString secret{text};
  secure_zero(buffer.data(), buffer.size());
  return secret;
}

Result<DeviceKey> decode(const SecretString& hex, const std::string& path, const std::string& where) {
  const std::string_view digits = hex.reveal();
  if (digits.size() != 2 * DeviceKey::size())
    return field_error(Errc::out_of_range, path, where + " must hold 64 hex digits (a 32-byte key)");
  DeviceKey key;
  if (!secret_hex_into(digits, key.mutable_bytes()))
    return field_error(Errc::malformed, path, where + " must hold hex digits only");
  return key;
}

}  // namespace

Result<DeviceKeySpec> device_key(const Object& o, const std::filesystem::path& base) {
  auto spec = o.text("device_key");
  if (!spec) return std::move(spec).error();
  const std::string path = o.path("device_key");
  // The published test key is simulation's (app/sim/test_device_key.hpp): the product
  // carries no test key, so "test" leaves the key empty and says so.
  if (*spec == "test") return DeviceKeySpec{DeviceKey{}, true};
  const KeySourceRow* row = nullptr;
  for (const auto& r : kKeySources)
    if (spec->starts_with(r.prefix)) row = &r;
  if (row == nullptr) return field_error(Errc::malformed, path, kSpecs);
  const std::string rest = spec->substr(row->prefix.size());
  if (rest.empty()) return field_error(Errc::malformed, path, kSpecs);

  Result<SecretString> hex = make_error(Errc::invalid_argument, "");
  std::string where;
  switch (row->source) {
    case KeySource::env:
      where = "environment variable " + rest;
      hex = secret_from_env(rest, path);
      break;
    case KeySource::file: {
      if (rest.find('\0') != std::string::npos) return field_error(Errc::malformed, path, "must not contain NUL");
      std::filesystem::path file{rest};
      if (file.is_relative() && !base.empty()) file = base / file;
      where = "key file " + file.string();
      hex = read_key_file(file, path, "key file");
      break;
    }
    case KeySource::credential: {
      if (!is_credential_name(rest))
        return field_error(Errc::malformed, path, "credential name must be letters, digits, '_', '-', '.' or '@'");
      const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
      if (dir == nullptr || *dir == '\0')
        return field_error(Errc::not_found, path,
                           "no systemd credentials here (CREDENTIALS_DIRECTORY is not set: LoadCredential=" + rest +
                               ":FILE in the unit)");
      where = "credential " + rest;
      hex = read_key_file(std::filesystem::path{dir} / rest, path, "credential");
      break;
    }
  }
  if (!hex) return std::move(hex).error();
  auto key = decode(*hex, path, where);
  if (!key) return std::move(key).error();
  return DeviceKeySpec{*key, false};
}

}  // namespace tender::app::config_detail
