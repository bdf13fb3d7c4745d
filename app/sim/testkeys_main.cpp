// tender-testkeys: generates the test PKI of the virtual cards, deterministically.
//
//   tender-testkeys --out DIR     writes DIR/capk.json and DIR/keys.json
//   tender-testkeys --check DIR   regenerates in memory; exit 0 only if both files match
//
// Every key comes from crypto::rsa_generate (mbedTLS's key generation, public exponent 3)
// driven by its own CTR_DRBG, seeded by a source that returns a fixed stream:
// block i (i = 0, 1, 2, ...) of the stream for the key named K is
//     SHA-256("tender-testkeys/v1/" K "/" decimal(i))
// and the DRBG personalisation string is K. Running the tool again on the same
// mbedTLS version therefore reproduces the same keys byte for byte. They are TEST keys,
// published in this repository: never use them for anything but tests.
//
// Files:
//  - capk.json: {"capks":[{"rid","index","modulus","exponent","checksum","expiry"}]}, the
//    terminal's CA public keys; checksum = SHA-1(RID | index | modulus | exponent)
//    (EMV Book 2 11.2.2), expiry YYMMDD.
//  - keys.json: {"keys":[{"name","role","bits",... "n","e","d","p","q","dp","dq","qinv"}]},
//    private keys as hex CRT parameters; CA entries add rid, index, description, expiry.
//    The virtual card signs its certificates with these at load time.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/version.hpp"
#include "common/bytes.hpp"
#include "common/crypto/hash.hpp"
#include "common/crypto/rsa.hpp"
#include "emv/sim/rsa_sign.hpp"

namespace {

using tender::Byte;
using tender::Bytes;
using Json = nlohmann::ordered_json;

enum class Role { ca, issuer, icc };

struct KeySpec {
  const char* name;
  Role role;
  unsigned bits;
  const char* rid = nullptr;    // CA only
  const char* index = nullptr;  // CA only
  const char* description = nullptr;
};

constexpr const char* kCaExpiry = "301231";

const KeySpec kKeys[] = {
    {"ca_a000000003_e1", Role::ca, tender::emv::kTestCaKeyBits, "A000000003", "E1", "Visa-like test CA"},
    {"ca_a000000004_e2", Role::ca, tender::emv::kTestCaKeyBits, "A000000004", "E2", "Mastercard-like test CA"},
    {"issuer_visa", Role::issuer, tender::emv::kTestIssuerKeyBits},
    {"issuer_mc", Role::issuer, tender::emv::kTestIssuerKeyBits},
    {"icc_visa", Role::icc, tender::emv::kTestIccKeyBits},
    {"icc_mc", Role::icc, tender::emv::kTestIccKeyBits},
};

const char* to_string(Role role) {
  switch (role) {
    case Role::ca: return "ca";
    case Role::issuer: return "issuer";
    case Role::icc: return "icc";
  }
  return "?";
}

// The fixed seed stream of one key (see the file comment).
struct SeedStream {
  std::string name;
  std::uint64_t block = 0;
  std::array<Byte, 32> buffer{};
  std::size_t used = 32;
};

bool seed_entropy(SeedStream& s, std::span<Byte> out) {
  for (Byte& b : out) {
    if (s.used == s.buffer.size()) {
      const std::string label = "tender-testkeys/v1/" + s.name + "/" + std::to_string(s.block++);
      s.buffer = tender::crypto::sha256({tender::ByteView{reinterpret_cast<const Byte*>(label.data()), label.size()}});
      s.used = 0;
    }
    b = s.buffer[s.used++];
  }
  return true;
}

// Generates one key; the JSON object of keys.json (private) and the modulus.
bool generate(const KeySpec& spec, Json& out) {
  SeedStream stream{spec.name};
  const std::string personal = spec.name;
  auto key = tender::crypto::rsa_generate(
      spec.bits, 3, [&stream](std::span<Byte> seed) { return seed_entropy(stream, seed); },
      tender::ByteView{reinterpret_cast<const Byte*>(personal.data()), personal.size()});
  if (!key) return false;
  out = Json::object();
  out["name"] = spec.name;
  out["role"] = to_string(spec.role);
  out["bits"] = spec.bits;
  if (spec.role == Role::ca) {
    out["rid"] = spec.rid;
    out["index"] = spec.index;
    out["description"] = spec.description;
    out["expiry"] = kCaExpiry;
  }
  out["n"] = tender::to_hex(key->modulus);
  out["e"] = tender::to_hex(key->exponent);
  out["d"] = tender::to_hex(key->d.reveal());
  out["p"] = tender::to_hex(key->p.reveal());
  out["q"] = tender::to_hex(key->q.reveal());
  out["dp"] = tender::to_hex(key->dp.reveal());
  out["dq"] = tender::to_hex(key->dq.reveal());
  out["qinv"] = tender::to_hex(key->qinv.reveal());
  return true;
}

struct Files {
  std::string capk;
  std::string keys;
};

bool generate_all(Files& files) {
  Json keys = Json::array();
  Json capks = Json::array();
  for (const KeySpec& spec : kKeys) {
    Json key;
    if (!generate(spec, key)) {
      std::cerr << "tender-testkeys: key generation failed for " << spec.name << "\n";
      return false;
    }
    if (spec.role == Role::ca) {
      auto rid = tender::from_hex(spec.rid);
      auto index = tender::from_hex(spec.index);
      auto modulus = tender::from_hex(key["n"].get<std::string>());
      auto exponent = tender::from_hex(key["e"].get<std::string>());
      if (!rid || !index || !modulus || !exponent) return false;
      const auto sum = tender::emv::capk_checksum(*rid, (*index)[0], *modulus, *exponent);
      Json capk = Json::object();
      capk["rid"] = spec.rid;
      capk["index"] = spec.index;
      capk["modulus"] = key["n"];
      capk["exponent"] = key["e"];
      capk["checksum"] = tender::to_hex(sum);
      capk["expiry"] = kCaExpiry;
      capks.push_back(std::move(capk));
    }
    keys.push_back(std::move(key));
  }
  Json capk_file = Json::object();
  capk_file["capks"] = std::move(capks);
  Json keys_file = Json::object();
  keys_file["note"] = "TEST keys generated by tender-testkeys (deterministic); never use them outside tests";
  keys_file["keys"] = std::move(keys);
  files.capk = capk_file.dump(2) + "\n";
  files.keys = keys_file.dump(2) + "\n";
  return true;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !(out << text) || !out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

constexpr std::string_view kUsage =
    "usage: tender-testkeys --out DIR | --check DIR\n"
    "       tender-testkeys --help | --version\n";

int usage() {
  std::cerr << "tender-testkeys: needs --out DIR or --check DIR (see tender-testkeys --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::string_view{argv[1]} == "--help" || std::string_view{argv[1]} == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (argc == 2 && std::string_view{argv[1]} == "--version") {
    std::cout << tender::version_line("tender-testkeys") << '\n';
    return 0;
  }
  if (argc != 3) return usage();
  const std::string mode = argv[1];
  const std::string dir = argv[2];
  if (mode != "--out" && mode != "--check") return usage();

  Files files;
  if (!generate_all(files)) return 1;
  const std::pair<std::string, const std::string*> outputs[] = {{dir + "/capk.json", &files.capk},
                                                                 {dir + "/keys.json", &files.keys}};
  if (mode == "--out") {
    for (const auto& [path, text] : outputs) {
      if (!write_file(path, *text)) {
        std::cerr << "tender-testkeys: cannot write " << path << "\n";
        return 1;
      }
    }
    return 0;
  }
  int status = 0;
  for (const auto& [path, text] : outputs) {
    std::string on_disk;
    if (!read_file(path, on_disk)) {
      std::cerr << "tender-testkeys: cannot read " << path << "\n";
      status = 1;
    } else if (on_disk != *text) {
      std::cerr << "tender-testkeys: " << path << " differs from the regenerated test PKI\n";
      status = 1;
    }
  }
  if (status == 0) std::cout << "tender-testkeys: test PKI matches\n";
  return status;
}
