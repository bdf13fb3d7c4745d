// Key store: atomic, checksummed, wrapped files; state images; and an originator that
// resumes from the store exactly where it stopped.
#include "drivers/pinpad/key_store.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include <mbedtls/sha256.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>

namespace tender::pinpad {
namespace {

namespace fs = std::filesystem;

using tender::test::hex;

WrappingKey test_wrapping_key() {
  return WrappingKey{hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")};
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tender-keystore-XXXXXX").string();
    if (const char* made = ::mkdtemp(pattern.data())) path_ = made;
    EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Bytes read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const fs::path& p, ByteView data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

tdes::Originator tdes_device() {
  const auto ksn = tdes::parse_ksn(hex("FFFF9876543210E00000")).value();
  const auto ipek = tdes::derive_ipek(hex("0123456789ABCDEFFEDCBA9876543210"), ksn).value();
  return tdes::Originator::load_initial_key(ipek, ksn).value();
}

aes::Originator aes_device() {
  const Bytes id = hex("1234567890123456");
  const auto ik = aes::derive_initial_key(hex("FEDCBA9876543210F1F1F1F1F1F1F1F1"), id).value();
  return aes::Originator::load_initial_key(ik.reveal(), id).value();
}

// ---- Stores ----

TEST(KeyStore, MemoryStoreRoundTripAndNotFound) {
  MemoryKeyStore store;
  EXPECT_EQ(store.load("tdes").error().code, Errc::not_found);
  ASSERT_TRUE(store.save("tdes", hex("0102")));
  ASSERT_TRUE(store.save("tdes", hex("030405")));
  EXPECT_EQ(to_hex(store.load("tdes")->reveal()), "030405");
  EXPECT_EQ(store.save("../x", hex("01")).error().code, Errc::invalid_argument);
}

TEST(KeyStore, SlotNames) {
  EXPECT_TRUE(slot_name_valid("tdes-dukpt_1"));
  const std::string_view bad_names[] = {"", "a/b", "..", "a.b", "a b", std::string_view("a\0b", 3)};
  for (std::string_view bad : bad_names) EXPECT_FALSE(slot_name_valid(bad)) << bad.size();
  EXPECT_FALSE(slot_name_valid(std::string(65, 'a')));
}

TEST(KeyStore, WrappedFileRoundTripModeAndNoClearContent) {
  TempDir dir;
  FileKeyStore store{dir.path(), test_wrapping_key()};
  EXPECT_EQ(store.load("pin").error().code, Errc::not_found);
  const Bytes content = hex("DEADBEEF00112233445566778899AABBCCDDEEFF");
  ASSERT_TRUE(store.save("pin", content));
  auto back = store.load("pin");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_hex(back->reveal()), to_hex(content));

  struct stat st {};
  ASSERT_EQ(::stat(store.file_for("pin").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The content does not appear in the file.
  const std::string file_hex = to_hex(read_all(store.file_for("pin")));
  EXPECT_EQ(file_hex.find("DEADBEEF0011"), std::string::npos);
  // No temporary left after a completed save.
  EXPECT_FALSE(fs::exists(dir.path() / "pin.tks.tmp"));
}

TEST(KeyStore, StaleTempFileIsIgnoredAndOverwritten) {
  TempDir dir;
  FileKeyStore store{dir.path(), test_wrapping_key()};
  ASSERT_TRUE(store.save("pin", hex("01020304")));
  // A power cut in the middle of the next save leaves a half-written temp file.
  const Bytes whole = read_all(store.file_for("pin"));
  write_all(dir.path() / "pin.tks.tmp", ByteView{whole}.first(whole.size() / 2));
  EXPECT_EQ(to_hex(store.load("pin")->reveal()), "01020304");
  ASSERT_TRUE(store.save("pin", hex("05060708")));
  EXPECT_EQ(to_hex(store.load("pin")->reveal()), "05060708");
  EXPECT_FALSE(fs::exists(dir.path() / "pin.tks.tmp"));
}

TEST(KeyStore, EveryCorruptByteIsAChecksumError) {
  TempDir dir;
  FileKeyStore store{dir.path(), test_wrapping_key()};
  ASSERT_TRUE(store.save("pin", hex("0102030405060708")));
  const Bytes good = read_all(store.file_for("pin"));
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x40;
    write_all(store.file_for("pin"), bad);
    auto r = store.load("pin");
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code, Errc::checksum) << "byte " << i;
  }
  write_all(store.file_for("pin"), ByteView{good}.first(good.size() - 1));
  EXPECT_EQ(store.load("pin").error().code, Errc::checksum);
  write_all(store.file_for("pin"), ByteView{good}.first(5));
  EXPECT_EQ(store.load("pin").error().code, Errc::checksum);
}

TEST(KeyStore, WrongWrappingKeyOrModeIsACryptoError) {
  TempDir dir;
  FileKeyStore store{dir.path(), test_wrapping_key()};
  ASSERT_TRUE(store.save("pin", hex("01020304")));
  WrappingKey other = test_wrapping_key();
  other.mutable_bytes()[0] ^= 1;
  EXPECT_EQ(FileKeyStore(dir.path(), other).load("pin").error().code, Errc::crypto_error);
  // A well-formed file whose mode says "clear" (checksum recomputed, so only the
  // mode is wrong) is refused: keys are never read from an unwrapped file.
  Bytes clear_mode = read_all(store.file_for("pin"));
  clear_mode[4] = 0x00;
  std::array<unsigned char, 32> digest{};
  ASSERT_EQ(mbedtls_sha256_ret(clear_mode.data(), clear_mode.size() - 32, digest.data(), 0), 0);
  std::copy(digest.begin(), digest.end(), clear_mode.end() - 32);
  write_all(store.file_for("clear"), clear_mode);
  EXPECT_EQ(store.load("clear").error().code, Errc::crypto_error);
  // A wrapped file renamed to another slot does not authenticate there.
  fs::copy_file(store.file_for("pin"), store.file_for("moved"));
  EXPECT_EQ(store.load("moved").error().code, Errc::crypto_error);
}

TEST(KeyStore, SaveIntoMissingDirectoryIsAnIoError) {
  FileKeyStore store{"/nonexistent-tender-dir/keys", test_wrapping_key()};
  EXPECT_EQ(store.save("pin", hex("01")).error().code, Errc::io_error);
}

// ---- State images ----

TEST(KeyStoreImages, TdesRoundTripAndRejections) {
  auto device = tdes_device();
  ASSERT_TRUE(device.next_transaction());
  const SecretBytes image = serialize(device.state());
  auto back = deserialize_tdes_state(image.reveal());
  ASSERT_TRUE(back);
  EXPECT_EQ(to_hex(back->ksn), to_hex(device.state().ksn));
  EXPECT_EQ(back->valid, device.state().valid);
  for (std::size_t i = 0; i < tdes::kFutureKeyRegisterCount; ++i) {
    if (back->valid[i]) {
      EXPECT_TRUE(back->future_keys[i] == device.state().future_keys[i]);
    }
  }
  EXPECT_EQ(serialize(*back), image);

  Bytes bytes(image.reveal().begin(), image.reveal().end());
  auto with = [&](std::size_t at, Byte value) {
    Bytes b = bytes;
    b[at] = value;
    return deserialize_tdes_state(b);
  };
  EXPECT_EQ(with(0, 'X').error().code, Errc::malformed);   // magic
  EXPECT_EQ(with(4, 0x02).error().code, Errc::malformed);  // version
  EXPECT_EQ(with(15, 0x02).error().code, Errc::malformed);  // unknown flag
  EXPECT_EQ(with(16, 0x20).error().code, Errc::malformed);  // bitmap beyond 21 bits
  Bytes shorter(bytes.begin(), bytes.end() - 1);
  EXPECT_EQ(deserialize_tdes_state(shorter).error().code, Errc::malformed);
  EXPECT_EQ(deserialize_aes_state(bytes).error().code, Errc::malformed);
}

TEST(KeyStoreImages, AesRoundTripAndRejections) {
  auto device = aes_device();
  ASSERT_TRUE(device.next_transaction());
  const SecretBytes image = serialize(device.state());
  EXPECT_EQ(image.size(), 23u + 32u * 16u);
  auto back = deserialize_aes_state(image.reveal());
  ASSERT_TRUE(back);
  EXPECT_EQ(serialize(*back), image);
  EXPECT_EQ(back->in_use, device.state().in_use);

  Bytes bytes(image.reveal().begin(), image.reveal().end());
  auto with = [&](std::size_t at, Byte value) {
    Bytes b = bytes;
    b[at] = value;
    return deserialize_aes_state(b);
  };
  EXPECT_EQ(with(1, 'X').error().code, Errc::malformed);   // magic
  EXPECT_EQ(with(4, 0x00).error().code, Errc::malformed);  // version
  EXPECT_EQ(with(5, 0x01).error().code, Errc::malformed);  // TDEA is no derivation key type
  EXPECT_EQ(with(5, 0x04).error().code, Errc::malformed);  // AES-256 needs a longer image
  EXPECT_EQ(with(18, 0x80).error().code, Errc::malformed);  // unknown flag
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_EQ(deserialize_aes_state(longer).error().code, Errc::malformed);
  EXPECT_EQ(deserialize_tdes_state(bytes).error().code, Errc::malformed);
}

// ---- Resuming ----

TEST(KeyStoreResume, TdesOriginatorContinuesTheExactSequence) {
  TempDir dir;
  FileKeyStore store{dir.path(), test_wrapping_key()};
  auto reference = tdes_device();
  auto device = tdes_device();
  std::set<std::string> seen;
  for (int n = 0; n < 300; ++n) {
    auto expected = reference.next_transaction().value();
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    // Persist before the PIN block would leave the device.
    ASSERT_TRUE(store.save("tdes", serialize(device.state()).reveal()));
    EXPECT_EQ(to_hex(tk->ksn), to_hex(expected.ksn));
    EXPECT_TRUE(tk->pin_key == expected.pin_key);
    EXPECT_TRUE(seen.insert(to_hex(tk->ksn)).second) << "KSN reused";
    if (n % 7 == 3) {  // power cut: the in-memory device is lost
      auto image = store.load("tdes");
      ASSERT_TRUE(image);
      auto state = deserialize_tdes_state(image->reveal());
      ASSERT_TRUE(state);
      device = tdes::Originator::restore(*state).value();
    }
  }
}

TEST(KeyStoreResume, AesOriginatorContinuesTheExactSequence) {
  TempDir dir;
  FileKeyStore store{dir.path(), test_wrapping_key()};
  auto reference = aes_device();
  auto device = aes_device();
  std::set<std::string> seen;
  for (int n = 0; n < 200; ++n) {
    auto expected = reference.next_transaction().value();
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    ASSERT_TRUE(store.save("aes", serialize(device.state()).reveal()));
    EXPECT_EQ(to_hex(tk->ksn), to_hex(expected.ksn));
    EXPECT_TRUE(tk->pin_key == expected.pin_key);
    EXPECT_TRUE(seen.insert(to_hex(tk->ksn)).second) << "KSN reused";
    if (n % 5 == 2) {
      auto state = deserialize_aes_state(store.load("aes")->reveal());
      ASSERT_TRUE(state);
      device = aes::Originator::restore(*state).value();
    }
  }
}

TEST(KeyStoreResume, CeasedDeviceStaysCeasedAfterRestore) {
  tdes::OriginatorState s = tdes_device().state();
  s.ceased = true;
  s.ksn = tdes::ksn_with_counter(s.ksn, 0);
  auto state = deserialize_tdes_state(serialize(s).reveal());
  ASSERT_TRUE(state);
  auto device = tdes::Originator::restore(*state).value();
  EXPECT_EQ(device.next_transaction().error().code, Errc::exhausted);
}

}  // namespace
}  // namespace tender::pinpad
