#include "net/tls/context.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/x509_crt.h>

#include <cstring>
#include <map>

#include "common/crypto/hash.hpp"

namespace tender::net::tls {
namespace {

// TLS 1.2, ECDHE with AEAD only.
const int kCiphersuites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

Error tls_error(std::string_view what, int code) {
  return make_error(Errc::crypto_error, std::string(what) + ": " + describe_mbedtls_error(code));
}

// PEM parsers want the terminating NUL counted in the length.
std::string with_nul(std::string_view pem) {
  std::string s(pem);
  return s;
}

Result<Sha256> spki_of(const mbedtls_x509_crt* crt) {
  std::array<unsigned char, 1024> der{};
  int n = mbedtls_pk_write_pubkey_der(const_cast<mbedtls_pk_context*>(&crt->pk), der.data(), der.size());
  if (n < 0) return tls_error("public key", n);
  const auto len = static_cast<std::size_t>(n);
  return crypto::sha256({ByteView{der.data() + der.size() - len, len}});
}

}  // namespace

std::string describe_mbedtls_error(int code) {
  char buf[160];
  mbedtls_strerror(code, buf, sizeof buf);
  return std::string(buf) + " (-0x" + [code] {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(-code));
    return std::string(hex);
  }() + ")";
}

struct Context::Impl {
  Role role = Role::client;
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_ssl_config conf;
  mbedtls_x509_crt ca;
  mbedtls_x509_crt own_cert;
  mbedtls_pk_context own_key;
  mbedtls_ssl_cache_context cache;
  std::vector<Sha256> pins;
  std::map<std::string, mbedtls_ssl_session, std::less<>> sessions;

  Impl() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&own_cert);
    mbedtls_pk_init(&own_key);
    mbedtls_ssl_cache_init(&cache);
  }
  ~Impl() {
    for (auto& [name, s] : sessions) mbedtls_ssl_session_free(&s);
    mbedtls_ssl_cache_free(&cache);
    mbedtls_pk_free(&own_key);
    mbedtls_x509_crt_free(&own_cert);
    mbedtls_x509_crt_free(&ca);
    mbedtls_ssl_config_free(&conf);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Result<void> common_setup(int endpoint) {
    static const char personal[] = "tender-net-tls";
    int rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
                                   reinterpret_cast<const unsigned char*>(personal), sizeof personal - 1);
    if (rc != 0) return tls_error("seeding CTR-DRBG", rc);
    rc = mbedtls_ssl_config_defaults(&conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0) return tls_error("TLS defaults", rc);
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_ciphersuites(&conf, kCiphersuites);
    mbedtls_ssl_conf_renegotiation(&conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
    return ok();
  }

  // Pinning: at depth 0 the leaf's SPKI must hash to one of the pins.
  static int verify_pin(void* self, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
    auto* impl = static_cast<Impl*>(self);
    if (depth != 0 || impl->pins.empty()) return 0;
    auto digest = spki_of(crt);
    bool match = false;
    if (digest) {
      for (const auto& pin : impl->pins) match = match || std::memcmp(pin.data(), digest->data(), pin.size()) == 0;
    }
    if (!match) *flags |= MBEDTLS_X509_BADCERT_OTHER;
    return 0;
  }
};

Context::Context(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Context::~Context() = default;

Result<std::shared_ptr<Context>> Context::make_client(const ClientConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->role = Role::client;
  if (auto r = impl->common_setup(MBEDTLS_SSL_IS_CLIENT); !r) return std::move(r).error();
  int rc = 0;
  if (!config.ca_pem.empty()) {
    std::string pem = with_nul(config.ca_pem);
    rc = mbedtls_x509_crt_parse(&impl->ca, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1);
  } else if (!config.ca_file.empty()) {
    rc = mbedtls_x509_crt_parse_file(&impl->ca, config.ca_file.c_str());
  } else {
    return make_error(Errc::invalid_argument, "TLS client needs a CA bundle");
  }
  if (rc != 0) return make_error(Errc::malformed, "CA bundle: " + describe_mbedtls_error(rc));
  mbedtls_ssl_conf_ca_chain(&impl->conf, &impl->ca, nullptr);
  mbedtls_ssl_conf_authmode(&impl->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  impl->pins = config.spki_pins;
  mbedtls_ssl_conf_verify(&impl->conf, &Impl::verify_pin, impl.get());
  mbedtls_ssl_conf_session_tickets(&impl->conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
  return std::shared_ptr<Context>(new Context(std::move(impl)));
}

Result<std::shared_ptr<Context>> Context::make_server(const ServerConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->role = Role::server;
  if (auto r = impl->common_setup(MBEDTLS_SSL_IS_SERVER); !r) return std::move(r).error();
  std::string chain = with_nul(config.cert_chain_pem);
  int rc = mbedtls_x509_crt_parse(&impl->own_cert, reinterpret_cast<const unsigned char*>(chain.c_str()),
                                  chain.size() + 1);
  if (rc != 0) return make_error(Errc::malformed, "server certificate chain: " + describe_mbedtls_error(rc));
  {
    std::string key(config.key_pem.reveal());
    rc = mbedtls_pk_parse_key(&impl->own_key, reinterpret_cast<const unsigned char*>(key.c_str()), key.size() + 1,
                              nullptr, 0);
    mbedtls_platform_zeroize(key.data(), key.size());
  }
  if (rc != 0) return make_error(Errc::malformed, "server private key: " + describe_mbedtls_error(rc));
  rc = mbedtls_ssl_conf_own_cert(&impl->conf, &impl->own_cert, &impl->own_key);
  if (rc != 0) return tls_error("server certificate", rc);
  mbedtls_ssl_conf_session_cache(&impl->conf, &impl->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
  return std::shared_ptr<Context>(new Context(std::move(impl)));
}

Role Context::role() const noexcept { return impl_->role; }
const mbedtls_ssl_config* Context::config() const noexcept { return &impl_->conf; }

void Context::offer_session(std::string_view server_name, mbedtls_ssl_context* ssl) {
  auto it = impl_->sessions.find(server_name);
  if (it != impl_->sessions.end()) (void)mbedtls_ssl_set_session(ssl, &it->second);
}

bool Context::save_session(std::string_view server_name, const mbedtls_ssl_context* ssl) {
  const mbedtls_ssl_session* now = mbedtls_ssl_get_session_pointer(ssl);
  if (now == nullptr) return false;
  auto it = impl_->sessions.find(server_name);
  bool resumed = it != impl_->sessions.end() && it->second.id_len > 0 && it->second.id_len == now->id_len &&
                 std::memcmp(it->second.id, now->id, now->id_len) == 0;
  if (it == impl_->sessions.end()) {
    it = impl_->sessions.emplace(std::string(server_name), mbedtls_ssl_session{}).first;
    mbedtls_ssl_session_init(&it->second);
  } else {
    mbedtls_ssl_session_free(&it->second);
    mbedtls_ssl_session_init(&it->second);
  }
  if (mbedtls_ssl_get_session(ssl, &it->second) != 0) {
    mbedtls_ssl_session_free(&it->second);
    impl_->sessions.erase(it);
  }
  return resumed;
}

void Context::forget_session(std::string_view server_name) {
  auto it = impl_->sessions.find(server_name);
  if (it == impl_->sessions.end()) return;
  mbedtls_ssl_session_free(&it->second);
  impl_->sessions.erase(it);
}

Result<Sha256> spki_sha256(std::string_view certificate_pem) {
  mbedtls_x509_crt crt;
  mbedtls_x509_crt_init(&crt);
  std::string pem(certificate_pem);
  int rc = mbedtls_x509_crt_parse(&crt, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1);
  if (rc != 0) {
    mbedtls_x509_crt_free(&crt);
    return make_error(Errc::malformed, "certificate: " + describe_mbedtls_error(rc));
  }
  auto out = spki_of(&crt);
  mbedtls_x509_crt_free(&crt);
  return out;
}

}  // namespace tender::net::tls
