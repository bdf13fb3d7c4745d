#include "drivers/pinpad/key_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "common/crypto/aead.hpp"
#include "common/crypto/hash.hpp"

namespace tender::pinpad {
namespace {

constexpr std::array<Byte, 4> kFileMagic = {'T', 'K', 'S', 0x01};
constexpr Byte kModeClear = 0x00;  // never written; recognised only to refuse it
constexpr Byte kModeGcm = 0x01;
constexpr std::size_t kHeaderSize = 4 + 1 + 4;
constexpr std::size_t kDigestSize = 32;
constexpr std::size_t kIvSize = crypto::kAeadNonceSize;
constexpr std::size_t kTagSize = crypto::kAeadTagSize;
// Originator images are under 2 KiB; anything far larger is not ours.
constexpr std::size_t kMaxFileSize = 64 * 1024;
constexpr std::string_view kFileSuffix = ".tks";
constexpr std::string_view kTempSuffix = ".tks.tmp";

crypto::Sha256Digest sha256(ByteView data) { return crypto::sha256({data}); }

Error io_error(std::string what, const std::filesystem::path& path) {
  return make_error(Errc::io_error, std::move(what) + " " + path.string() + ": " +
                                        std::strerror(errno));
}

// Closes on scope exit so no error path leaks a descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Result<void> write_all(int fd, ByteView data, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  return ok();
}

Result<void> fsync_directory(const std::filesystem::path& dir) {
  FileDescriptor fd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (fd.get() < 0) return io_error("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return io_error("cannot fsync directory", dir);
  return ok();
}

// The whole file, into wiped memory.
Result<SecretBytes> read_file(const std::filesystem::path& path) {
  FileDescriptor fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (fd.get() < 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no key store file " + path.string());
    return io_error("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat", path);
  if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > kMaxFileSize)
    return make_error(Errc::malformed, "key store file too large: " + path.string());
  SecretBytes data(static_cast<std::size_t>(st.st_size));
  auto dst = data.mutable_bytes();
  std::size_t done = 0;
  while (done < dst.size()) {
    const ssize_t n = ::read(fd.get(), dst.data() + done, dst.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read", path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  data.resize(done);
  return data;
}

// The additional authenticated data for GCM: file header and slot name.
Bytes gcm_aad(ByteView header, std::string_view slot) {
  // Filled by index: GCC 12 at -O3 reports a false -Warray-bounds on vector::insert here.
  Bytes aad(header.size() + slot.size());
  for (std::size_t i = 0; i < header.size(); ++i) aad[i] = header[i];
  for (std::size_t i = 0; i < slot.size(); ++i) aad[header.size() + i] = static_cast<Byte>(slot[i]);
  return aad;
}

// The key store's body is crypto::seal's layout: IV | ciphertext | tag.
Result<void> gcm_seal(const WrappingKey& key, ByteView aad, ByteView plain, std::span<Byte> body) {
  auto sealed = crypto::seal(key.reveal(), aad, plain);
  if (!sealed) return make_error(sealed.error().code, "key store wrapping failed: " + sealed.error().message);
  const SecretBytes wiped = SecretBytes::take(*sealed);  // the body is copied; no copy outlives the call
  if (wiped.size() != body.size()) return make_error(Errc::crypto_error, "key store wrapping has the wrong size");
  std::copy(wiped.reveal().begin(), wiped.reveal().end(), body.begin());
  return ok();
}

Result<SecretBytes> gcm_open(const WrappingKey& key, ByteView aad, ByteView body) {
  if (body.size() < crypto::kAeadOverhead) return make_error(Errc::malformed, "wrapped key store body too short");
  auto plain = crypto::open(key.reveal(), aad, body);
  if (!plain) return make_error(Errc::crypto_error, "key store file does not authenticate under this wrapping key");
  return plain;
}

}  // namespace

bool slot_name_valid(std::string_view slot) noexcept {
  if (slot.empty() || slot.size() > 64) return false;
  for (char c : slot) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

// ---- MemoryKeyStore ------------------------------------------------------------------

Result<void> MemoryKeyStore::save(std::string_view slot, ByteView serialized) {
  if (!slot_name_valid(slot)) return make_error(Errc::invalid_argument, "bad key store slot name");
  auto it = slots_.find(slot);
  if (it == slots_.end()) {
    slots_.emplace(std::string{slot}, SecretBytes{serialized});
  } else {
    it->second = SecretBytes{serialized};
  }
  return ok();
}

Result<SecretBytes> MemoryKeyStore::load(std::string_view slot) {
  if (!slot_name_valid(slot)) return make_error(Errc::invalid_argument, "bad key store slot name");
  auto it = slots_.find(slot);
  if (it == slots_.end()) return make_error(Errc::not_found, "key store slot not found");
  return it->second;
}

// ---- FileKeyStore --------------------------------------------------------------------

FileKeyStore::FileKeyStore(std::filesystem::path dir, const WrappingKey& wrapping_key)
    : dir_(std::move(dir)), wrapping_key_(wrapping_key) {}

std::filesystem::path FileKeyStore::file_for(std::string_view slot) const {
  return dir_ / (std::string{slot} + std::string{kFileSuffix});
}

Result<void> FileKeyStore::save(std::string_view slot, ByteView serialized) {
  if (!slot_name_valid(slot)) return make_error(Errc::invalid_argument, "bad key store slot name");
  if (serialized.size() > kMaxFileSize / 2)
    return make_error(Errc::invalid_argument, "key store content too large");

  const std::size_t body_size = kIvSize + serialized.size() + kTagSize;
  SecretBytes image(kHeaderSize + body_size + kDigestSize);
  auto bytes = image.mutable_bytes();
  for (std::size_t i = 0; i < kFileMagic.size(); ++i) bytes[i] = kFileMagic[i];
  bytes[4] = kModeGcm;
  store_be(body_size, bytes.subspan(5, 4));
  auto body = bytes.subspan(kHeaderSize, body_size);
  const Bytes aad = gcm_aad(bytes.first(kHeaderSize), slot);
  if (auto r = gcm_seal(wrapping_key_, aad, serialized, body); !r) return r;
  const auto digest = sha256(bytes.first(kHeaderSize + body_size));
  for (std::size_t i = 0; i < kDigestSize; ++i) bytes[kHeaderSize + body_size + i] = digest[i];

  const auto final_path = file_for(slot);
  const auto temp_path = dir_ / (std::string{slot} + std::string{kTempSuffix});
  {
    // O_NOFOLLOW: a planted symlink at the temp name must not redirect the keys.
    FileDescriptor fd{::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                             S_IRUSR | S_IWUSR)};
    if (fd.get() < 0) return io_error("cannot create", temp_path);
    // The mode given to open() is filtered by the umask and ignored for an existing
    // file; set it explicitly.
    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return io_error("cannot chmod", temp_path);
    if (auto r = write_all(fd.get(), image.reveal(), temp_path); !r) {
      ::unlink(temp_path.c_str());
      return r;
    }
    if (::fsync(fd.get()) != 0) {
      const auto err = io_error("cannot fsync", temp_path);
      ::unlink(temp_path.c_str());
      return err;
    }
    if (::close(fd.release()) != 0) {
      const auto err = io_error("cannot close", temp_path);
      ::unlink(temp_path.c_str());
      return err;
    }
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    const auto err = io_error("cannot rename into", final_path);
    ::unlink(temp_path.c_str());
    return err;
  }
  // The rename is durable only once the directory entry is on disk.
  return fsync_directory(dir_);
}

Result<SecretBytes> FileKeyStore::load(std::string_view slot) {
  if (!slot_name_valid(slot)) return make_error(Errc::invalid_argument, "bad key store slot name");
  const auto path = file_for(slot);
  auto file = read_file(path);
  if (!file) return std::move(file).error();
  const ByteView data = file->reveal();
  if (data.size() < kHeaderSize + kDigestSize)
    return make_error(Errc::checksum, "key store file is truncated: " + path.string());
  const std::size_t covered = data.size() - kDigestSize;
  const auto digest = sha256(data.first(covered));
  if (!constant_time_equal(digest.data(), data.data() + covered, kDigestSize))
    return make_error(Errc::checksum, "key store file checksum mismatch: " + path.string());
  for (std::size_t i = 0; i < kFileMagic.size(); ++i) {
    if (data[i] != kFileMagic[i])
      return make_error(Errc::malformed, "not a key store file (or unknown version): " + path.string());
  }
  // 64-bit arithmetic: size_t is 32 bits on armhf.
  const std::uint64_t body_size = load_be(data.subspan(5, 4));
  if (body_size != static_cast<std::uint64_t>(covered - kHeaderSize))
    return make_error(Errc::malformed, "key store file body length mismatch: " + path.string());
  const ByteView body = data.subspan(kHeaderSize, covered - kHeaderSize);
  const Byte mode = data[4];
  if (mode == kModeClear)
    return make_error(Errc::crypto_error, "key store file is not wrapped; refusing clear keys: " + path.string());
  if (mode == kModeGcm) {
    const Bytes aad = gcm_aad(data.first(kHeaderSize), slot);
    return gcm_open(wrapping_key_, aad, body);
  }
  return make_error(Errc::malformed, "key store file has an unknown mode: " + path.string());
}

// ---- Originator state images ---------------------------------------------------------

namespace {

constexpr std::array<Byte, 4> kTdesMagic = {'T', 'D', 'K', 'S'};
constexpr std::array<Byte, 4> kAesMagic = {'A', 'D', 'K', 'S'};
constexpr Byte kImageVersion = 0x01;
constexpr Byte kFlagCeased = 0x01;
constexpr std::size_t kTdesKeySize = 16;
constexpr std::size_t kTdesImageSize =
    4 + 1 + 10 + 1 + 3 + tdes::kFutureKeyRegisterCount * kTdesKeySize;
constexpr std::size_t kAesFixedSize = 4 + 1 + 1 + 12 + 1 + 4;

// Sequential writer / reader over a fixed image; the sizes are checked up front, so
// neither can run past the end.
class ImageWriter {
 public:
  explicit ImageWriter(std::span<Byte> out) : out_(out) {}
  void put(ByteView bytes) {
    for (Byte b : bytes) out_[pos_++] = b;
  }
  void put_byte(Byte b) { out_[pos_++] = b; }
  void put_be(std::uint64_t value, std::size_t width) {
    store_be(value, out_.subspan(pos_, width));
    pos_ += width;
  }

 private:
  std::span<Byte> out_;
  std::size_t pos_ = 0;
};

class ImageReader {
 public:
  explicit ImageReader(ByteView in) : in_(in) {}
  ByteView take(std::size_t n) {
    const ByteView v = in_.subspan(pos_, n);
    pos_ += n;
    return v;
  }
  Byte byte() { return in_[pos_++]; }
  std::uint64_t be(std::size_t width) { return load_be(take(width)); }

 private:
  ByteView in_;
  std::size_t pos_ = 0;
};

bool same(ByteView a, const std::array<Byte, 4>& b) noexcept {
  for (std::size_t i = 0; i < b.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

Result<aes::KeyType> aes_type_from_byte(Byte b) {
  switch (b) {
    case static_cast<Byte>(aes::KeyType::aes128): return aes::KeyType::aes128;
    case static_cast<Byte>(aes::KeyType::aes192): return aes::KeyType::aes192;
    case static_cast<Byte>(aes::KeyType::aes256): return aes::KeyType::aes256;
    default: return make_error(Errc::malformed, "AES DUKPT state image has a bad key type");
  }
}

}  // namespace

SecretBytes serialize(const tdes::OriginatorState& state) {
  SecretBytes image(kTdesImageSize);
  ImageWriter w{image.mutable_bytes()};
  w.put(kTdesMagic);
  w.put_byte(kImageVersion);
  w.put(state.ksn);
  w.put_byte(state.ceased ? kFlagCeased : 0);
  std::uint32_t bitmap = 0;
  for (std::size_t i = 0; i < tdes::kFutureKeyRegisterCount; ++i)
    if (state.valid[i]) bitmap |= 1u << (tdes::kFutureKeyRegisterCount - 1 - i);
  w.put_be(bitmap, 3);
  const tdes::Key erased;
  for (std::size_t i = 0; i < tdes::kFutureKeyRegisterCount; ++i)
    w.put(state.valid[i] ? state.future_keys[i].reveal() : erased.reveal());
  return image;
}

Result<tdes::OriginatorState> deserialize_tdes_state(ByteView image) {
  if (image.size() != kTdesImageSize)
    return make_error(Errc::malformed, "TDES DUKPT state image has the wrong length");
  ImageReader r{image};
  if (!same(r.take(4), kTdesMagic))
    return make_error(Errc::malformed, "not a TDES DUKPT state image");
  if (r.byte() != kImageVersion)
    return make_error(Errc::malformed, "TDES DUKPT state image has an unknown version");
  tdes::OriginatorState s;
  const ByteView ksn = r.take(10);
  for (std::size_t i = 0; i < ksn.size(); ++i) s.ksn[i] = ksn[i];
  const Byte flags = r.byte();
  if ((flags & ~kFlagCeased) != 0)
    return make_error(Errc::malformed, "TDES DUKPT state image has unknown flags");
  s.ceased = (flags & kFlagCeased) != 0;
  const auto bitmap = static_cast<std::uint32_t>(r.be(3));
  if (bitmap > tdes::kCounterMask)
    return make_error(Errc::malformed, "TDES DUKPT state image has a bad register bitmap");
  for (std::size_t i = 0; i < tdes::kFutureKeyRegisterCount; ++i) {
    const ByteView key = r.take(kTdesKeySize);
    s.valid[i] = (bitmap & (1u << (tdes::kFutureKeyRegisterCount - 1 - i))) != 0;
    if (s.valid[i]) s.future_keys[i] = tdes::Key{key};
  }
  return s;
}

SecretBytes serialize(const aes::OriginatorState& state) {
  const std::size_t key_size = aes::key_length(state.derivation_key_type);
  SecretBytes image(kAesFixedSize + aes::kIntermediateKeyRegisterCount * key_size);
  ImageWriter w{image.mutable_bytes()};
  w.put(kAesMagic);
  w.put_byte(kImageVersion);
  w.put_byte(static_cast<Byte>(state.derivation_key_type));
  w.put(state.ksn);
  w.put_byte(state.ceased ? kFlagCeased : 0);
  std::uint32_t bitmap = 0;
  for (std::size_t i = 0; i < aes::kIntermediateKeyRegisterCount; ++i)
    if (state.in_use[i]) bitmap |= 1u << i;
  w.put_be(bitmap, 4);
  const SecretArray<aes::kMaxKeyLength> erased;
  for (std::size_t i = 0; i < aes::kIntermediateKeyRegisterCount; ++i)
    w.put((state.in_use[i] ? state.registers[i] : erased).reveal().first(key_size));
  return image;
}

Result<aes::OriginatorState> deserialize_aes_state(ByteView image) {
  if (image.size() < kAesFixedSize)
    return make_error(Errc::malformed, "AES DUKPT state image has the wrong length");
  ImageReader r{image};
  if (!same(r.take(4), kAesMagic)) return make_error(Errc::malformed, "not an AES DUKPT state image");
  if (r.byte() != kImageVersion)
    return make_error(Errc::malformed, "AES DUKPT state image has an unknown version");
  auto type = aes_type_from_byte(r.byte());
  if (!type) return std::move(type).error();
  const std::size_t key_size = aes::key_length(*type);
  if (image.size() != kAesFixedSize + aes::kIntermediateKeyRegisterCount * key_size)
    return make_error(Errc::malformed, "AES DUKPT state image has the wrong length");
  aes::OriginatorState s;
  s.derivation_key_type = *type;
  const ByteView ksn = r.take(12);
  for (std::size_t i = 0; i < ksn.size(); ++i) s.ksn[i] = ksn[i];
  const Byte flags = r.byte();
  if ((flags & ~kFlagCeased) != 0)
    return make_error(Errc::malformed, "AES DUKPT state image has unknown flags");
  s.ceased = (flags & kFlagCeased) != 0;
  const auto bitmap = static_cast<std::uint32_t>(r.be(4));
  for (std::size_t i = 0; i < aes::kIntermediateKeyRegisterCount; ++i) {
    const ByteView key = r.take(key_size);
    s.in_use[i] = (bitmap & (1u << i)) != 0;
    if (s.in_use[i]) s.registers[i] = SecretArray<aes::kMaxKeyLength>{key};
  }
  return s;
}

}  // namespace tender::pinpad
