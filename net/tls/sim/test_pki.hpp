// A test PKI made with mbedTLS: a CA and server certificates (ECDSA P-256, SHA-256) for
// given DNS names and IP addresses, with chosen validity so tests can make an expired
// certificate. `tender-hostsim --state-dir DIR` uses ensure_state_dir(). Test use only.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "net/tls/context.hpp"

namespace tender::net::tls::test_pki {

struct Validity {
  std::string not_before = "20240101000000";  // YYYYMMDDhhmmss, UTC
  std::string not_after = "20491231235959";
};

struct Issued {
  std::string cert_pem;
  SecretString key_pem;  // never logged
};

Result<Issued> make_ca(std::string_view common_name, const Validity& validity = {});

// A server certificate signed by `ca`, with subjectAltName dNSName/iPAddress entries.
Result<Issued> make_server(const Issued& ca, std::string_view common_name, const std::vector<std::string>& dns_names,
                           const std::vector<std::string>& ip_addresses, const Validity& validity = {});

// A test CA and a certificate for localhost / 127.0.0.1 signed by it, made once per
// process: the loopback tests' and benchmarks' peers all present this pair.
struct LoopbackPki {
  Issued ca;
  Issued server;
};
const LoopbackPki& loopback_pki();

// Writes a certificate (0644) or a private key (0600, created so, never readable by others).
Result<void> write_certificate(const std::filesystem::path& path, std::string_view pem);
Result<void> write_private_key(const std::filesystem::path& path, const SecretString& pem);
Result<std::string> read_file(const std::filesystem::path& path);

struct StateFiles {
  std::filesystem::path ca_cert;      // DIR/ca.pem
  std::filesystem::path server_cert;  // DIR/server.pem
  std::filesystem::path server_key;   // DIR/server-key.pem (0600)
};

// On first start creates DIR/ca.pem, DIR/ca-key.pem, DIR/server.pem and DIR/server-key.pem
// (localhost, 127.0.0.1); afterwards reuses them.
Result<StateFiles> ensure_state_dir(const std::filesystem::path& dir);

// The server side of the state directory: DIR/server.pem and DIR/server-key.pem.
Result<ServerConfig> server_config(const StateFiles& files);

}  // namespace tender::net::tls::test_pki
