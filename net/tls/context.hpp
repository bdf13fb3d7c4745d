// TLS 1.2 configuration on mbedTLS 2.28: the client side (CA bundle, host name check,
// optional SPKI pinning, session resumption per host) and the server side (certificate
// chain and key from PEM). A Context is shared by every Stream made from it; it owns the
// entropy source and CTR-DRBG. No Asio or Beast here.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"

struct mbedtls_ssl_config;
struct mbedtls_ssl_context;

namespace tender::net::tls {

using Sha256 = std::array<std::uint8_t, 32>;

struct ClientConfig {
  std::string ca_pem;            // trusted CA certificates as PEM text, or
  std::string ca_file;           // a PEM file (used when ca_pem is empty)
  std::vector<Sha256> spki_pins;  // SHA-256 of the server's SubjectPublicKeyInfo; empty = no pinning
};

struct ServerConfig {
  std::string cert_chain_pem;  // leaf first
  SecretString key_pem;
};

enum class Role { client, server };

class Context {
 public:
  static Result<std::shared_ptr<Context>> make_client(const ClientConfig& config);
  static Result<std::shared_ptr<Context>> make_server(const ServerConfig& config);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  [[nodiscard]] Role role() const noexcept;
  [[nodiscard]] const mbedtls_ssl_config* config() const noexcept;

  // Client session cache, keyed by server name: offer the saved session (if any) on `ssl`,
  // and save the session `ssl` negotiated. Returns whether `ssl` resumed the saved one.
  void offer_session(std::string_view server_name, mbedtls_ssl_context* ssl);
  bool save_session(std::string_view server_name, const mbedtls_ssl_context* ssl);
  void forget_session(std::string_view server_name);

  struct Impl;

 private:
  explicit Context(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// SHA-256 of the SubjectPublicKeyInfo (DER) of the first certificate in `pem`: the pin.
Result<Sha256> spki_sha256(std::string_view certificate_pem);

// mbedTLS error code as text, for messages (never contains key material).
std::string describe_mbedtls_error(int code);

}  // namespace tender::net::tls
