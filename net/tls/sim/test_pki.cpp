#include "net/tls/sim/test_pki.hpp"

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/x509_crt.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "common/secure_zero.hpp"
#include "net/tls/context.hpp"

namespace tender::net::tls::test_pki {
namespace {

Error fail(std::string_view what, int rc) {
  return make_error(Errc::crypto_error, std::string(what) + ": " + describe_mbedtls_error(rc));
}

struct Rng {
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  Rng() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
  }
  ~Rng() {
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
  }
  Rng(const Rng&) = delete;
  Rng& operator=(const Rng&) = delete;
  int seed() { return mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0); }
};

struct Pk {
  mbedtls_pk_context ctx;
  Pk() { mbedtls_pk_init(&ctx); }
  ~Pk() { mbedtls_pk_free(&ctx); }
  Pk(const Pk&) = delete;
  Pk& operator=(const Pk&) = delete;
};

struct Writer {
  mbedtls_x509write_cert ctx;
  mbedtls_mpi serial;
  Writer() {
    mbedtls_x509write_crt_init(&ctx);
    mbedtls_mpi_init(&serial);
  }
  ~Writer() {
    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&ctx);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
};

// DER length octets.
void put_length(std::vector<unsigned char>& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<unsigned char>(n));
  } else if (n <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<unsigned char>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<unsigned char>(n >> 8));
    out.push_back(static_cast<unsigned char>(n & 0xFF));
  }
}

// SubjectAltName ::= SEQUENCE OF GeneralName; dNSName [2] IA5String, iPAddress [7] OCTET STRING.
Result<std::vector<unsigned char>> subject_alt_name(const std::vector<std::string>& dns,
                                                    const std::vector<std::string>& ips) {
  std::vector<unsigned char> names;
  for (const auto& d : dns) {
    names.push_back(0x82);
    put_length(names, d.size());
    names.insert(names.end(), d.begin(), d.end());
  }
  for (const auto& ip : ips) {
    std::array<unsigned char, 16> raw{};
    std::size_t len = 0;
    if (inet_pton(AF_INET, ip.c_str(), raw.data()) == 1) {
      len = 4;
    } else if (inet_pton(AF_INET6, ip.c_str(), raw.data()) == 1) {
      len = 16;
    } else {
      return make_error(Errc::invalid_argument, "not an IP address: " + ip);
    }
    names.push_back(0x87);
    put_length(names, len);
    names.insert(names.end(), raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(len));
  }
  std::vector<unsigned char> out{0x30};
  put_length(out, names.size());
  out.insert(out.end(), names.begin(), names.end());
  return out;
}

Result<Issued> issue(Rng& rng, Pk& subject_key, mbedtls_pk_context* issuer_key, const std::string& subject,
                     const std::string& issuer, bool is_ca, const std::vector<std::string>& dns,
                     const std::vector<std::string>& ips, const Validity& validity) {
  Writer w;
  mbedtls_x509write_crt_set_version(&w.ctx, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&w.ctx, MBEDTLS_MD_SHA256);
  mbedtls_x509write_crt_set_subject_key(&w.ctx, &subject_key.ctx);
  mbedtls_x509write_crt_set_issuer_key(&w.ctx, issuer_key);
  std::array<unsigned char, 16> serial{};
  int rc = mbedtls_ctr_drbg_random(&rng.drbg, serial.data(), serial.size());
  if (rc != 0) return fail("serial", rc);
  serial[0] &= 0x7F;
  serial[0] |= 0x01;
  if ((rc = mbedtls_mpi_read_binary(&w.serial, serial.data(), serial.size())) != 0) return fail("serial", rc);
  if ((rc = mbedtls_x509write_crt_set_serial(&w.ctx, &w.serial)) != 0) return fail("serial", rc);
  if ((rc = mbedtls_x509write_crt_set_validity(&w.ctx, validity.not_before.c_str(), validity.not_after.c_str())) != 0)
    return make_error(Errc::invalid_argument, "validity: " + describe_mbedtls_error(rc));
  if ((rc = mbedtls_x509write_crt_set_subject_name(&w.ctx, subject.c_str())) != 0)
    return make_error(Errc::invalid_argument, "subject name: " + describe_mbedtls_error(rc));
  if ((rc = mbedtls_x509write_crt_set_issuer_name(&w.ctx, issuer.c_str())) != 0)
    return make_error(Errc::invalid_argument, "issuer name: " + describe_mbedtls_error(rc));
  if ((rc = mbedtls_x509write_crt_set_basic_constraints(&w.ctx, is_ca ? 1 : 0, is_ca ? 0 : -1)) != 0)
    return fail("basic constraints", rc);
  if ((rc = mbedtls_x509write_crt_set_subject_key_identifier(&w.ctx)) != 0) return fail("key identifier", rc);
  if ((rc = mbedtls_x509write_crt_set_authority_key_identifier(&w.ctx)) != 0) return fail("key identifier", rc);
  const unsigned int usage =
      is_ca ? (MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN) : MBEDTLS_X509_KU_DIGITAL_SIGNATURE;
  if ((rc = mbedtls_x509write_crt_set_key_usage(&w.ctx, usage)) != 0) return fail("key usage", rc);
  if (!is_ca) {
    auto san = subject_alt_name(dns, ips);
    if (!san) return std::move(san).error();
    rc = mbedtls_x509write_crt_set_extension(&w.ctx, MBEDTLS_OID_SUBJECT_ALT_NAME,
                                             MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, san->data(),
                                             san->size());
    if (rc != 0) return fail("subjectAltName", rc);
  }
  std::vector<unsigned char> pem(8192);
  if ((rc = mbedtls_x509write_crt_pem(&w.ctx, pem.data(), pem.size(), mbedtls_ctr_drbg_random, &rng.drbg)) != 0)
    return fail("certificate", rc);
  Issued out;
  out.cert_pem = reinterpret_cast<const char*>(pem.data());
  std::vector<unsigned char> key(2048);
  if ((rc = mbedtls_pk_write_key_pem(&subject_key.ctx, key.data(), key.size())) != 0) return fail("key", rc);
  out.key_pem = SecretString(reinterpret_cast<const char*>(key.data()));
  mbedtls_platform_zeroize(key.data(), key.size());
  return out;
}

Result<void> generate_key(Rng& rng, Pk& key) {
  int rc = mbedtls_pk_setup(&key.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (rc != 0) return fail("key setup", rc);
  rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key.ctx), mbedtls_ctr_drbg_random, &rng.drbg);
  if (rc != 0) return fail("key generation", rc);
  return ok();
}

}  // namespace

Result<Issued> make_ca(std::string_view common_name, const Validity& validity) {
  Rng rng;
  if (int rc = rng.seed(); rc != 0) return fail("seeding", rc);
  Pk key;
  if (auto r = generate_key(rng, key); !r) return std::move(r).error();
  const std::string name = "CN=" + std::string(common_name) + ",O=Tender Test";
  return issue(rng, key, &key.ctx, name, name, true, {}, {}, validity);
}

Result<Issued> make_server(const Issued& ca, std::string_view common_name, const std::vector<std::string>& dns_names,
                           const std::vector<std::string>& ip_addresses, const Validity& validity) {
  Rng rng;
  if (int rc = rng.seed(); rc != 0) return fail("seeding", rc);
  Pk ca_key;
  std::string ca_key_pem(ca.key_pem.reveal());
  int rc = mbedtls_pk_parse_key(&ca_key.ctx, reinterpret_cast<const unsigned char*>(ca_key_pem.c_str()),
                                ca_key_pem.size() + 1, nullptr, 0);
  mbedtls_platform_zeroize(ca_key_pem.data(), ca_key_pem.size());
  if (rc != 0) return make_error(Errc::malformed, "CA key: " + describe_mbedtls_error(rc));
  mbedtls_x509_crt ca_crt;
  mbedtls_x509_crt_init(&ca_crt);
  rc = mbedtls_x509_crt_parse(&ca_crt, reinterpret_cast<const unsigned char*>(ca.cert_pem.c_str()),
                              ca.cert_pem.size() + 1);
  if (rc != 0) {
    mbedtls_x509_crt_free(&ca_crt);
    return make_error(Errc::malformed, "CA certificate: " + describe_mbedtls_error(rc));
  }
  std::array<char, 512> issuer{};
  rc = mbedtls_x509_dn_gets(issuer.data(), issuer.size(), &ca_crt.subject);
  mbedtls_x509_crt_free(&ca_crt);
  if (rc < 0) return fail("CA name", rc);
  Pk key;
  if (auto r = generate_key(rng, key); !r) return std::move(r).error();
  const std::string name = "CN=" + std::string(common_name) + ",O=Tender Test";
  return issue(rng, key, &ca_key.ctx, name, issuer.data(), false, dns_names, ip_addresses, validity);
}

namespace {
Result<void> write_with_mode(const std::filesystem::path& path, std::string_view text, mode_t mode) {
  const std::string tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error(Errc::io_error, "cannot create " + tmp);
  (void)::fchmod(fd, mode);
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(Errc::io_error, "cannot write " + tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return make_error(Errc::io_error, "cannot write " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return make_error(Errc::io_error, "cannot rename to " + path.string());
  return ok();
}
}  // namespace

Result<void> write_certificate(const std::filesystem::path& path, std::string_view pem) {
  return write_with_mode(path, pem, 0644);
}

Result<void> write_private_key(const std::filesystem::path& path, const SecretString& pem) {
  return write_with_mode(path, pem.reveal(), 0600);
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, "cannot open " + path.string());
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

Result<StateFiles> ensure_state_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::io_error, "cannot create " + dir.string());
  StateFiles files{dir / "ca.pem", dir / "server.pem", dir / "server-key.pem"};
  if (std::filesystem::exists(files.ca_cert) && std::filesystem::exists(files.server_cert) &&
      std::filesystem::exists(files.server_key))
    return files;
  auto ca = make_ca("Tender Test Host CA");
  if (!ca) return std::move(ca).error();
  auto server = make_server(*ca, "localhost", {"localhost"}, {"127.0.0.1"});
  if (!server) return std::move(server).error();
  if (auto r = write_private_key(dir / "ca-key.pem", ca->key_pem); !r) return std::move(r).error();
  if (auto r = write_private_key(files.server_key, server->key_pem); !r) return std::move(r).error();
  if (auto r = write_certificate(files.server_cert, server->cert_pem); !r) return std::move(r).error();
  if (auto r = write_certificate(files.ca_cert, ca->cert_pem); !r) return std::move(r).error();
  return files;
}

Result<ServerConfig> server_config(const StateFiles& files) {
  auto cert = read_file(files.server_cert);
  if (!cert) return std::move(cert).error();
  auto key = read_file(files.server_key);
  if (!key) return std::move(key).error();
  ServerConfig config{std::move(*cert), SecretString(*key)};
  secure_zero(key->data(), key->size());
  return config;
}


const LoopbackPki& loopback_pki() {
  static const LoopbackPki pki = [] {
    LoopbackPki out;
    out.ca = make_ca("Tender loopback test CA").value();
    out.server = make_server(out.ca, "localhost", {"localhost"}, {"127.0.0.1"}).value();
    return out;
  }();
  return pki;
}
}  // namespace tender::net::tls::test_pki
